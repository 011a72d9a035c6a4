"""The identity reads: the persona, users and admins groups, the service principals and their
OAuth secrets, personal access tokens, and who is assigned to the workspace."""

from __future__ import annotations

from dataclasses import dataclass

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.iam import PermissionAssignments

from ...vocabulary.workspace import ADMINS_GROUP, USERS_GROUP
from .declared import DeclaredEstate, Principal
from .live import UNKNOWN, Read
from .workspace import WORKSPACE_ADMIN

# The workspace-level permission assignments: databricks-sdk 0.162 calls them only on the
# account (iam.WorkspaceAssignmentAPI); terraform-provider-databricks reads them from a
# workspace at this path, in the account API's shape (access/resource_permission_assignment.go,
# `List`), which iam.PermissionAssignments parses.
PERMISSION_ASSIGNMENTS = "/api/2.0/preview/permissionassignments"


@dataclass(frozen=True)
class Member:
    id: str
    display: str
    ref: str
    """The member's SCIM resource, e.g. Users/123, ServicePrincipals/456, Groups/789."""


@dataclass(frozen=True)
class Group:
    id: str
    entitlements: frozenset[str]
    members: tuple[Member, ...]


@dataclass(frozen=True)
class ServicePrincipal:
    id: str
    display: str
    entitlements: frozenset[str]


@dataclass(frozen=True)
class Token:
    id: str
    owner_id: str
    created_by: str
    expiry_time: int


def audited_groups(declared: DeclaredEstate) -> list[str]:
    return sorted({*declared.personas, USERS_GROUP, ADMINS_GROUP})


def _groups(client: WorkspaceClient, names: list[str]) -> dict[str, Group]:
    """One SCIM listing for every group the audit reads: "simple expressions can be formed
    using logical operators - `and` and `or`" (iam.GroupsAPI.list). `id` is asked for: the
    SDK's listing needs it on every resource (it pages by it)."""
    return {
        g.display_name: Group(
            g.id or "",
            frozenset(e.value for e in g.entitlements or [] if e.value),
            tuple(Member(m.value or "", m.display or "", m.ref or "") for m in g.members or []),
        )
        for g in client.groups.list(
            filter=" or ".join(f'displayName eq "{name}"' for name in names),
            attributes="id,displayName,entitlements,members",
        )
        if g.display_name in names
    }


def _service_principals(client: WorkspaceClient) -> dict[str, ServicePrincipal]:
    """Application id -> the service principal's SCIM id, display name and entitlements."""
    return {
        sp.application_id: ServicePrincipal(
            sp.id or "",
            sp.display_name or "",
            frozenset(e.value for e in sp.entitlements or [] if e.value),
        )
        for sp in client.service_principals.list(
            attributes="id,applicationId,displayName,entitlements"
        )
        if sp.application_id
    }


def _secrets(client: WorkspaceClient, sp_id: str) -> tuple[str, ...]:
    """The ids of a service principal's OAuth secrets (never their values)."""
    return tuple(sorted(s.id or "" for s in client.service_principal_secrets_proxy.list(sp_id)))


def _tokens(client: WorkspaceClient) -> tuple[Token, ...]:
    return tuple(
        Token(
            t.token_id or "",
            str(t.owner_id or ""),
            t.created_by_username or "",
            t.expiry_time or 0,
        )
        for t in client.token_management.list()
    )


def _assignments(client: WorkspaceClient) -> dict[Principal, frozenset[str]]:
    """(kind, name) -> workspace permissions (USER, ADMIN) of each assigned principal."""
    answer = PermissionAssignments.from_dict(client.api_client.do("GET", PERMISSION_ASSIGNMENTS))
    assigned: dict[Principal, frozenset[str]] = {}
    for assignment in answer.permission_assignments or []:
        principal = assignment.principal
        if principal is None:
            continue
        key = next(
            (
                (kind, name)
                for kind, name in (
                    ("service_principal", principal.service_principal_name),
                    ("group", principal.group_name),
                    ("user", principal.user_name),
                )
                if name
            ),
            ("principal", str(principal.principal_id)),
        )
        assigned[key] = frozenset(
            getattr(p, "value", None) or UNKNOWN for p in assignment.permissions or []
        )
    return assigned


def identity_reads(client: WorkspaceClient, declared: DeclaredEstate) -> list[Read]:
    def secrets_of(principals: dict[str, ServicePrincipal]) -> list[Read]:
        return [
            Read(
                ("secrets", application_id),
                f"OAuth secrets of service principal {application_id}",
                lambda i=sp.id: _secrets(client, i),
                rights=WORKSPACE_ADMIN,
            )
            for application_id, sp in sorted(principals.items())
        ]

    names = audited_groups(declared)
    return [
        Read(
            ("groups",),
            f"groups {', '.join(names)}",
            lambda: _groups(client, names),
            rights=WORKSPACE_ADMIN,
        ),
        Read(
            ("service principals",),
            "service principals of the workspace",
            lambda: _service_principals(client),
            then=secrets_of,
            rights=WORKSPACE_ADMIN,
        ),
        Read(
            ("personal access tokens",),
            "personal access tokens of the workspace",
            lambda: _tokens(client),
            rights=WORKSPACE_ADMIN,
        ),
        Read(
            ("assignments",),
            "principals assigned to the workspace",
            lambda: _assignments(client),
            rights=WORKSPACE_ADMIN,
        ),
    ]
