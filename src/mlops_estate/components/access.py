"""The declared access model: who holds what on which securable, and the Grants that enforce it.

Components describe their grants as `AccessGrant`s; the same list creates the authoritative
`databricks.Grants` and becomes the auditors' access matrix, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_databricks as databricks

from ..vocabulary.unity_catalog import SecurableType

PrincipalKind = Literal["group", "service_principal"]


@dataclass(frozen=True)
class Principal:
    """A group (by display name) or a service principal (by application id)."""

    role: str
    kind: PrincipalKind
    name: pulumi.Input[str]


@dataclass(frozen=True)
class AccessGrant:
    securable_type: SecurableType
    securable: str
    principal: Principal
    privileges: tuple[str, ...]


@dataclass(frozen=True)
class PermissionEntry:
    """A workspace object permission: a folder, the token API, a cluster policy, the registry."""

    principal: Principal
    permission_level: str


def _access_control_args(entry: PermissionEntry) -> databricks.PermissionsAccessControlArgs:
    """Groups are named by display name, service principals by application id."""
    key = "group_name" if entry.principal.kind == "group" else "service_principal_name"
    return databricks.PermissionsAccessControlArgs(
        permission_level=entry.permission_level, **{key: entry.principal.name}
    )


def authoritative_permissions(
    resource_name: str,
    entries: list[PermissionEntry],
    opts: pulumi.ResourceOptions,
    **target: pulumi.Input[str],
) -> databricks.Permissions:
    """The whole access list of one workspace object (`target`, e.g. directory_path=...)."""
    return databricks.Permissions(
        resource_name,
        access_controls=[_access_control_args(e) for e in entries],
        opts=opts,
        **target,
    )


def permission_rows(entries: list[PermissionEntry]) -> list[dict[str, str]]:
    """Permission entries as stack output rows; `principals` names each role."""
    return [
        {"role": entry.principal.role, "permission_level": entry.permission_level}
        for entry in entries
    ]


def authoritative_grants(
    resource_name: str,
    securable_type: SecurableType,
    securable: pulumi.Input[str],
    grants: list[AccessGrant],
    opts: pulumi.ResourceOptions,
) -> databricks.Grants:
    """The only grants on `securable`: anything granted by hand is revoked on the next update."""
    return databricks.Grants(
        resource_name,
        grants=[
            databricks.GrantsGrantArgs(
                principal=grant.principal.name, privileges=list(grant.privileges)
            )
            for grant in grants
        ],
        opts=opts,
        **{securable_type: securable},
    )


def access_matrix(grants: list[AccessGrant]) -> list[dict[str, object]]:
    """The access matrix as stack output rows; `principals` names each row's principal."""
    return [
        {
            "role": grant.principal.role,
            "securable_type": grant.securable_type,
            "securable": grant.securable,
            "privileges": list(grant.privileges),
        }
        for grant in grants
    ]


def principals(of: list[Principal]) -> dict[str, dict[str, object]]:
    """Every principal the outputs refer to, by role: its kind and its name."""
    return {principal.role: {"kind": principal.kind, "name": principal.name} for principal in of}
