"""How the rules read Databricks resources: who is granted what on which securable."""

from __future__ import annotations

import re

from ..vocabulary.resource_types import GRANT
from ..vocabulary.unity_catalog import SECURABLE_KEYS, normalized_name
from .resource import Resource

# Properties of anything that names a path in the workspace tree.
PATH_KEYS = ("path", "directoryPath", "notebookPath", "workspaceFilePath")

_APPLICATION_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}"
)


def is_service_principal(principal: str) -> bool:
    """Service principals appear in grants and access lists by their application id."""
    return bool(_APPLICATION_ID.fullmatch(principal))


def is_user(principal: str) -> bool:
    return "@" in principal


def securable_of(resource: Resource) -> tuple[str, str] | None:
    """(securable type, name) that a Grants or Grant resource grants on, the name as Unity
    Catalog compares it (case-insensitive, backquotes dropped)."""
    for key, securable_type in SECURABLE_KEYS.items():
        value = resource.get(key)
        if value:
            return securable_type, normalized_name(str(value))
    return None


def granted(resource: Resource) -> list[tuple[str, list[str]]]:
    """(principal, privileges) of a Grants or a Grant resource."""
    if resource.type == GRANT:
        return [(resource.get("principal", default=""), list(resource.items("privileges")))]
    return [
        (
            resource.get("grants", index, "principal", default=""),
            list(resource.items("grants", index, "privileges")),
        )
        for index in range(len(resource.items("grants")))
    ]


def access_controls(resource: Resource) -> list[tuple[str, str, str]]:
    """(kind, principal, level) of each access control of a Permissions resource."""
    controls = []
    for index in range(len(resource.items("accessControls"))):
        level = resource.get("accessControls", index, "permissionLevel", default="")
        for kind in ("servicePrincipalName", "groupName", "userName"):
            principal = resource.get("accessControls", index, kind)
            if principal:
                controls.append((kind, principal, level))
    return controls


def rule_set_grants(resource: Resource) -> list[tuple[str, str]]:
    """(principal, role) of each grant of an AccessControlRuleSet: ("groups/x", "roles/...")."""
    return [
        (principal, resource.get("grantRules", index, "role", default=""))
        for index in range(len(resource.items("grantRules")))
        for principal in resource.items("grantRules", index, "principals")
    ]


def human_access_controls(resource: Resource) -> list[tuple[str, str]]:
    """(principal, level) of each access control of a Permissions resource that names a group
    or a user: the humans, as the estate's groups hold them."""
    return [
        (principal, level)
        for kind, principal, level in access_controls(resource)
        if kind in ("groupName", "userName")
    ]
