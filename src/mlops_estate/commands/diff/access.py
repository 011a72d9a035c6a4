"""Access read from registered resources: who may do what, where.

Grants, permissions, bindings and entitlements are read with the rules' own readers, so a
hand-written resource counts exactly as the rules see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...rules import Resource
from ...rules.readers import access_controls, granted, securable_of
from ...vocabulary.resource_types import (
    ENTITLEMENTS,
    GRANT,
    GRANTS,
    PERMISSIONS,
    WORKSPACE_BINDING,
)
from ...vocabulary.unity_catalog import READ_WRITE
from ...vocabulary.workspace import ENTITLEMENTS as ENTITLEMENT_NAMES

# Properties of Permissions that name the object its access list is on.
PERMISSION_OBJECT_KEYS = (
    "directoryPath",
    "notebookPath",
    "workspaceFilePath",
    "authorization",
    "registeredModelId",
    "clusterPolicyId",
    "jobId",
    "pipelineId",
    "experimentId",
)


@dataclass(frozen=True, order=True)
class Access:
    """One thing a principal may do: a privilege, a permission level, a binding, an entitlement."""

    principal: str
    kind: str
    on: str
    access: str


def _grants(resource: Resource) -> list[Access]:
    securable = securable_of(resource)
    on = f"{securable[0]} {securable[1]}" if securable else "unknown securable"
    return [
        Access(principal, "privilege", on, privilege)
        for principal, privileges in granted(resource)
        for privilege in privileges
    ]


def _permissions(resource: Resource) -> list[Access]:
    target = next(
        (
            f"{key} {resource.props[key]}"
            for key in PERMISSION_OBJECT_KEYS
            if resource.props.get(key)
        ),
        resource.name,
    )
    return [
        Access(principal, "permission", target, level)
        for _, principal, level in access_controls(resource)
    ]


def _binding(resource: Resource) -> list[Access]:
    props = resource.props
    securable = props.get("securableName") or props.get("catalogName", "")
    return [
        Access(
            f"workspace {props.get('workspaceId', '')}",
            "binding",
            f"{props.get('securableType', 'catalog')} {securable}",
            props.get("bindingType", READ_WRITE),
        )
    ]


def _entitlements(resource: Resource) -> list[Access]:
    who = next(
        (
            f"{key} {resource.props[key]}"
            for key in ("groupId", "servicePrincipalId", "userId")
            if resource.props.get(key)
        ),
        resource.name,
    )
    return [
        Access(who, "entitlement", "workspace", key)
        for key in ENTITLEMENT_NAMES
        if resource.props.get(key) is True
    ]


_ACCESS_READERS = {
    GRANTS: _grants,
    GRANT: _grants,
    PERMISSIONS: _permissions,
    WORKSPACE_BINDING: _binding,
    ENTITLEMENTS: _entitlements,
}


def access_of(resources: list[Resource]) -> set[Access]:
    return {
        access
        for r in resources
        if r.type in _ACCESS_READERS
        for access in _ACCESS_READERS[r.type](r)
    }
