"""Access read from registered resources: who may do what, where.

Every access path the rules understand is read here, with the rules' own readers, so a
hand-written resource counts exactly as the rules see it: Unity Catalog grants and owners,
bindings, workspace permissions and entitlements, workspace and account roles, group
membership, rule sets, Azure role assignments, federated credentials and federation policies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ...rules import Resource
from ...rules.context import binding_of, looked_up_groups
from ...rules.readers import access_controls, granted, rule_set_grants, securable_of
from ...vocabulary.azure import ROLE_NAMES, role_definition_guid
from ...vocabulary.resource_types import (
    ACCESS_CONTROL_RULE_SET,
    ACCOUNT_FEDERATION_POLICY,
    CATALOG_WORKSPACE_BINDING,
    ENTITLEMENTS,
    FEDERATED_IDENTITY_CREDENTIAL,
    GRANT,
    GRANTS,
    GROUP_MEMBER,
    GROUP_ROLE,
    MWS_PERMISSION_ASSIGNMENT,
    OWNED_SECURABLES,
    PERMISSION_ASSIGNMENT,
    PERMISSIONS,
    RECIPIENT,
    ROLE_ASSIGNMENT,
    SERVICE_PRINCIPAL_FEDERATION_POLICY,
    SERVICE_PRINCIPAL_ROLE,
    SQL_PERMISSIONS,
    USER_ROLE,
    WORKSPACE_BINDING,
    short_name,
)
from ...vocabulary.workspace import ENTITLEMENTS as ENTITLEMENT_NAMES
from ...vocabulary.workspace import PERMISSION_OBJECT_KEYS


@dataclass(frozen=True, order=True)
class Access:
    """One thing a principal may do: a privilege, a permission level, a binding, a role..."""

    principal: str
    kind: str
    on: str
    access: str


Names = Mapping[str, str]
"""Group ids the program looked up, and their display names."""


def _text(value: object) -> str:
    """A value as text; Pulumi carries numbers as floats, ids are whole numbers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _named(names: Names, kind: str, value: object) -> str:
    return names.get(_text(value), f"{kind} {_text(value)}")


def _grants(resource: Resource, _: Names) -> list[Access]:
    securable = securable_of(resource)
    on = f"{securable[0]} {securable[1]}" if securable else "unknown securable"
    return [
        Access(principal, "privilege", on, privilege)
        for principal, privileges in granted(resource)
        for privilege in privileges
    ]


def _sql_permissions(resource: Resource, _: Names) -> list[Access]:
    on = next(
        (
            f"hive {key} {resource.get(key)}"
            for key in ("table", "view", "database")
            if resource.get(key)
        ),
        "hive catalog",
    )
    return [
        Access(
            resource.get("privilegeAssignments", index, "principal", default=""),
            "hive privilege",
            on,
            privilege,
        )
        for index in range(len(resource.items("privilegeAssignments")))
        for privilege in resource.items("privilegeAssignments", index, "privileges")
    ]


def _owner(resource: Resource, _: Names) -> list[Access]:
    owner = resource.get("owner")
    if not owner:
        return []
    parts = (resource.get(key) for key in ("catalogName", "schemaName", "name"))
    name = ".".join(str(part) for part in parts if part) or resource.name
    return [Access(str(owner), "owner", f"{short_name(resource.type).lower()} {name}", "OWNER")]


def _permissions(resource: Resource, _: Names) -> list[Access]:
    target = next(
        (f"{key} {resource.get(key)}" for key in PERMISSION_OBJECT_KEYS if resource.get(key)),
        resource.name,
    )
    return [
        Access(principal, "permission", target, level)
        for _, principal, level in access_controls(resource)
    ]


def _binding(resource: Resource, _: Names) -> list[Access]:
    binding = binding_of(resource)
    return [
        Access(
            f"workspace {binding.workspace_id}",
            "binding",
            f"{binding.securable_type} {binding.securable}",
            binding.binding_type,
        )
    ]


def _entitlements(resource: Resource, names: Names) -> list[Access]:
    who = next(
        (
            _named(names, key.removesuffix("Id"), resource.get(key))
            for key in ("groupId", "servicePrincipalId", "userId")
            if resource.get(key)
        ),
        resource.name,
    )
    return [
        Access(who, "entitlement", "workspace", key)
        for key in ENTITLEMENT_NAMES
        if resource.get(key) is True
    ]


def _account_workspace_assignment(resource: Resource, names: Names) -> list[Access]:
    who = _named(names, "principal", resource.get("principalId"))
    on = f"workspace {resource.get('workspaceId')}"
    return [
        Access(who, "workspace assignment", on, level) for level in resource.items("permissions")
    ]


def _workspace_assignment(resource: Resource, names: Names) -> list[Access]:
    who = next(
        (
            str(resource.get(key))
            for key in ("groupName", "userName", "servicePrincipalName")
            if resource.get(key)
        ),
        _named(names, "principal", resource.get("principalId")),
    )
    return [
        Access(who, "workspace assignment", "the workspace", level)
        for level in resource.items("permissions")
    ]


def _group_member(resource: Resource, names: Names) -> list[Access]:
    member = _named(names, "principal", resource.get("memberId"))
    return [Access(member, "membership", _named(names, "group", resource.get("groupId")), "member")]


def _account_role(resource: Resource, names: Names) -> list[Access]:
    key = {GROUP_ROLE: "groupId", USER_ROLE: "userId"}.get(resource.type, "servicePrincipalId")
    who = _named(names, key.removesuffix("Id"), resource.get(key))
    return [Access(who, "account role", "the account", str(resource.get("role")))]


def _rule_set(resource: Resource, _: Names) -> list[Access]:
    return [
        Access(principal, "rule set role", str(resource.get("name")), role)
        for principal, role in rule_set_grants(resource)
    ]


def _role_assignment(resource: Resource, _: Names) -> list[Access]:
    role = str(resource.get("roleDefinitionId", default=""))
    return [
        Access(
            f"Azure principal {resource.get('principalId')}",
            "Azure role",
            str(resource.get("scope")),
            ROLE_NAMES.get(role_definition_guid(role), role),
        )
    ]


def _federated_credential(resource: Resource, _: Names) -> list[Access]:
    return [
        Access(
            f"{resource.get('issuer')} subject {resource.get('subject')}",
            "federated credential",
            f"managed identity {resource.get('resourceName')}",
            "sign in as",
        )
    ]


def _federation_policy(resource: Resource, _: Names) -> list[Access]:
    policy = "oidcPolicy"
    tokens = (
        f"{resource.get(policy, 'issuer')} {resource.get(policy, 'subjectClaim') or 'sub'}="
        f"{resource.get(policy, 'subject') or '*'}"
    )
    on = (
        "any matching account user"
        if resource.type == ACCOUNT_FEDERATION_POLICY
        else f"service principal {_text(resource.get('servicePrincipalId'))}"
    )
    return [Access(tokens, "federation policy", on, "sign in as")]


def _recipient(resource: Resource, _: Names) -> list[Access]:
    return [
        Access(
            f"recipient {resource.get('name')}",
            "Delta Sharing recipient",
            "shares granted to it",
            str(resource.get("authenticationType")),
        )
    ]


_READERS: dict[str, list[Callable[[Resource, Names], list[Access]]]] = {
    **{securable: [_owner] for securable in OWNED_SECURABLES},
    RECIPIENT: [_owner, _recipient],
    GRANTS: [_grants],
    GRANT: [_grants],
    SQL_PERMISSIONS: [_sql_permissions],
    PERMISSIONS: [_permissions],
    WORKSPACE_BINDING: [_binding],
    CATALOG_WORKSPACE_BINDING: [_binding],
    ENTITLEMENTS: [_entitlements],
    MWS_PERMISSION_ASSIGNMENT: [_account_workspace_assignment],
    PERMISSION_ASSIGNMENT: [_workspace_assignment],
    GROUP_MEMBER: [_group_member],
    GROUP_ROLE: [_account_role],
    USER_ROLE: [_account_role],
    SERVICE_PRINCIPAL_ROLE: [_account_role],
    ACCESS_CONTROL_RULE_SET: [_rule_set],
    ROLE_ASSIGNMENT: [_role_assignment],
    FEDERATED_IDENTITY_CREDENTIAL: [_federated_credential],
    ACCOUNT_FEDERATION_POLICY: [_federation_policy],
    SERVICE_PRINCIPAL_FEDERATION_POLICY: [_federation_policy],
}


def access_of(resources: Iterable[Resource], lookups: Iterable[object] = ()) -> set[Access]:
    """Every access the resources give; `lookups` name the groups the program looked up."""
    names = looked_up_groups(lookups)
    return {
        access
        for resource in resources
        for read in _READERS.get(resource.type, ())
        for access in read(resource, names)
    }
