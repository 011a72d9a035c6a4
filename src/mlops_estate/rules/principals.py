"""Who may act: the declared service principals, workspace admins, group members, federation."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.azure import ENTRA_TOKEN_EXCHANGE_AUDIENCE, GITHUB_OIDC_ISSUER
from ..vocabulary.resource_types import (
    ACCESS_CONTROL_RULE_SET,
    ACCOUNT_FEDERATION_POLICY,
    FEDERATED_IDENTITY_CREDENTIAL,
    GRANT,
    GRANTS,
    GROUP,
    GROUP_MEMBER,
    GROUP_ROLE,
    JOB,
    MWS_PERMISSION_ASSIGNMENT,
    OWNED_SECURABLES,
    PERMISSION_ASSIGNMENT,
    PERMISSIONS,
    PIPELINE,
    SERVICE_PRINCIPAL,
    SERVICE_PRINCIPAL_FEDERATION_POLICY,
    SERVICE_PRINCIPAL_ROLE,
    USER,
    USER_ROLE,
)
from ..vocabulary.workspace import WORKSPACE_ADMIN
from .context import StackContext, holds
from .readers import access_controls, granted, is_service_principal, rule_set_grants
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust


def _service_principals_named(resource: Resource) -> Iterator[tuple[str, str]]:
    """(where, application id) of every service principal a resource names."""
    if resource.type in (GRANTS, GRANT):
        yield from (
            ("a grant", principal)
            for principal, _ in granted(resource)
            if is_service_principal(principal)
        )
    elif resource.type == PERMISSIONS:
        yield from (
            ("an access list", principal)
            for kind, principal, _ in access_controls(resource)
            if kind == "servicePrincipalName"
        )
    elif resource.type in (JOB, PIPELINE):
        run_as = resource.get("runAs", "servicePrincipalName")
        if run_as:
            yield "run_as", run_as
    elif resource.type == SERVICE_PRINCIPAL:
        yield "the service principal", resource.get("applicationId")
    elif resource.type == ACCESS_CONTROL_RULE_SET:
        yield from (
            ("a rule set", principal.removeprefix("servicePrincipals/"))
            for principal, _ in rule_set_grants(resource)
            if principal.startswith("servicePrincipals/")
        )
    else:
        owner = resource.get("owner")
        if owner and is_service_principal(owner):
            yield "the owner", owner


@rule(
    "service-principals-declared",
    "mandatory",
    "Every service principal the stack registers or names (in grants, owners, access lists, "
    "run_as, rule sets) is one the config declares: the deployer, whose application id is the "
    "client id of the configured managed identity, or the platform runner.",
    "name only the deployer or the platform runner; a service principal is not trusted for "
    "looking like one",
    [
        GRANTS,
        GRANT,
        PERMISSIONS,
        JOB,
        PIPELINE,
        SERVICE_PRINCIPAL,
        ACCESS_CONTROL_RULE_SET,
        *OWNED_SECURABLES,
    ],
    scope="stack",
)
def service_principals_declared(resource: Resource, stack: StackContext) -> Iterator[str]:
    try:
        named, unknown = list(_service_principals_named(resource)), False
    except NotYetKnown:
        # Every principal already known is judged; an unknown one is deferred only where it
        # can come from the deployer alone, in a preview before the deployer exists.
        named, unknown = list(_service_principals_named(resource.known_part())), True
    declared = stack.declared_service_principals
    undeclared = [(where, p) for where, p in named if p not in declared]
    deployer_known = stack.deployer_application_id is not None
    if (undeclared or unknown) and not deployer_known:
        if not undeclared and any(
            stack.comes_only_from_declared_identities(resource, key)
            for key in resource.property_dependencies
        ):
            return
        raise NotYetKnown("the deployer identity's client id")
    for where, principal in undeclared:
        yield (
            f"{where} names the service principal {principal!r}, which the config does not "
            "declare: only the deployer and the platform runner are trusted"
        )
    if unknown:
        yield (
            "names a principal left unknown while the deployer's application id is known: "
            "name only the deployer or the platform runner"
        )


@rule(
    "no-workspace-admins",
    "mandatory",
    "No one is made a workspace admin or given an account role: workspace assignments grant "
    "USER only, and no group, user or service principal role is assigned.",
    'assign principals to the workspace with permissions ["USER"]; administer through the '
    "platform runner",
    [
        MWS_PERMISSION_ASSIGNMENT,
        PERMISSION_ASSIGNMENT,
        GROUP_ROLE,
        USER_ROLE,
        SERVICE_PRINCIPAL_ROLE,
    ],
)
def no_workspace_admins(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.type in (GROUP_ROLE, USER_ROLE, SERVICE_PRINCIPAL_ROLE):
        yield (
            f"assigns the role {resource.get('role')!r}: roles (account admin, marketplace "
            "admin, instance profiles) are not the estate's to give"
        )
    elif WORKSPACE_ADMIN in resource.items("permissions"):
        yield 'makes its principal a workspace admin: assign permissions ["USER"] only'


@rule(
    "workspace-access-declared",
    "mandatory",
    "Only the persona groups and the deployer are assigned, and only to the stack's own workspace.",
    "assign only the configured persona groups and the deployer",
    [MWS_PERMISSION_ASSIGNMENT, PERMISSION_ASSIGNMENT],
    scope="stack",
)
def workspace_access_declared(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type == MWS_PERMISSION_ASSIGNMENT and not holds(
        resource, "workspaceId", stack.own_workspace, "workspaceId"
    ):
        yield (
            f"assigns a principal to the workspace {resource.shown('workspaceId')}, not the "
            "stack's own"
        )
    for key in ("userName", "servicePrincipalName"):
        if resource.get(key):
            yield f"assigns {resource.get(key)!r} by name: assign only persona groups"
    group = resource.get("groupName")
    if group and group not in stack.trust.persona_groups:
        yield f"assigns the group {group!r}, which is not a persona group of the config"
    if "principalId" in resource.props:
        yield from _declared_principal_id(resource, "principalId", stack)


def _declared_principal_id(resource: Resource, key: str, stack: StackContext) -> Iterator[str]:
    """A principal id is the deployer's service principal or a looked-up persona group."""
    if holds(resource, key, stack.deployer_service_principal, "id"):
        return
    principal_id = resource.known(key)
    if principal_id is None:
        yield f"{key} is left unknown while the deployer's id is known: name a principal"
        return
    principal_id = str(principal_id)
    if principal_id in stack.group_names:
        if stack.group_names[principal_id] not in stack.trust.persona_groups:
            yield (
                f"{key} is the group {stack.group_names[principal_id]!r}, which is not a "
                "persona group of the config"
            )
        return
    if not stack.lookups_seen:
        return  # a policy pack sees ids, not the names looked up; estate plan checks them
    yield (
        f"{key} {principal_id!r} is neither the deployer nor a persona group the program "
        "looked up: the estate assigns only those"
    )


@rule(
    "group-membership-declared",
    "mandatory",
    "The only group membership the estate manages is the Prod deployer's in the promotion "
    "readers group; nobody joins admins or any other group through the estate.",
    "remove the membership: the estate adds only the Prod deployer to promotion.reader_group",
    [GROUP_MEMBER],
    scope="stack",
)
def group_membership_declared(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if not trust.is_prod:
        yield "UAT manages no group membership: only Prod's deployer joins the promotion group"
        return
    if not holds(resource, "memberId", stack.deployer_service_principal, "id"):
        yield (
            f"adds {resource.shown('memberId')} to a group: only the Prod deployer joins a group"
        )
    group_id = str(resource.get("groupId"))
    group = stack.group_names.get(group_id)
    if group is None and stack.lookups_seen:
        yield (
            f"the group {group_id!r} is not one the program looked up: the deployer joins only "
            f"the promotion readers group {trust.promotion_group!r}, found by its name"
        )
    elif group is not None and group != trust.promotion_group:
        yield (
            f"the group is {group!r}: the deployer joins only the promotion readers group "
            f"{trust.promotion_group!r}"
        )


@rule(
    "no-service-principal-impersonation",
    "mandatory",
    "Account access-control rule sets give roles only to platform principals, so no human may "
    "act as a service principal or manage a group.",
    "grant roles in rule sets only to the platform admins group, the deployer or the platform "
    "runner",
    [ACCESS_CONTROL_RULE_SET],
    scope="stack",
)
def no_service_principal_impersonation(resource: Resource, stack: StackContext) -> Iterator[str]:
    allowed = {f"groups/{stack.trust.platform_admins}"} | {
        f"servicePrincipals/{application_id}"
        for application_id in stack.declared_service_principals
    }
    for principal, role in rule_set_grants(resource):
        if principal in allowed:
            continue
        yield (
            f"gives {principal!r} the role {role!r}: only platform principals may act as, or "
            "manage, a service principal or group"
        )


@rule(
    "account-principals-declared",
    "mandatory",
    "The estate creates no user, only the deployer's service principal (named after its "
    "managed identity), and in UAT only the promotion readers group.",
    "take humans from Entra ID groups; create only the estate's own principals",
    [USER, GROUP, SERVICE_PRINCIPAL],
)
def account_principals_declared(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.type == USER:
        yield (
            f"creates the user {resource.get('userName')!r}: humans come from the persona "
            "groups synced from Entra ID"
        )
    elif resource.type == GROUP:
        name = resource.get("displayName")
        if trust.is_prod or name != trust.promotion_group:
            yield (
                f"creates the group {name!r}: the estate creates only the promotion readers "
                "group, in UAT"
            )
    elif resource.get("displayName") != trust.deployer_identity:
        yield (
            f"creates the service principal {resource.get('displayName')!r}: the estate "
            f"creates only its deployer, {trust.deployer_identity!r}"
        )


@rule(
    "federated-credentials-restricted",
    "mandatory",
    "Federated identity credentials are only on the deployer identity, trust only GitHub "
    "Actions jobs of the configured repositories in this stack's GitHub environments "
    "(repo:ORG/REPO:environment:NAME), for the Entra token exchange.",
    "trust only the deployer.github subjects of the config, with GitHub's issuer and the "
    "api://AzureADTokenExchange audience",
    [FEDERATED_IDENTITY_CREDENTIAL],
)
def federated_credentials_restricted(resource: Resource, trust: Trust) -> Iterator[str]:
    identity = resource.get("resourceName")
    if identity != trust.deployer_identity:
        yield (
            f"federates the identity {identity!r}: only the deployer, "
            f"{trust.deployer_identity!r}, is federated"
        )
    if resource.get("issuer") != GITHUB_OIDC_ISSUER:
        yield f"trusts the issuer {resource.get('issuer')!r}: only {GITHUB_OIDC_ISSUER}"
    if resource.items("audiences") != [ENTRA_TOKEN_EXCHANGE_AUDIENCE]:
        yield f"audiences are {resource.items('audiences')}: use [{ENTRA_TOKEN_EXCHANGE_AUDIENCE}]"
    subject = resource.get("subject")
    if subject not in trust.github_subjects:
        yield (
            f"trusts the subject {subject!r}: only {', '.join(sorted(trust.github_subjects))}"
            " (a GitHub environment, never a branch, tag or pull request)"
        )


@rule(
    "federation-policies-restricted",
    "mandatory",
    "No account-wide federation policy; a service principal federation policy is only the "
    "deployer's and trusts only GitHub Actions jobs of the configured repositories in this "
    "stack's environments.",
    "federate only through the deployer's managed identity, or restrict the deployer's policy "
    "to the configured subjects",
    [ACCOUNT_FEDERATION_POLICY, SERVICE_PRINCIPAL_FEDERATION_POLICY],
    scope="stack",
)
def federation_policies_restricted(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if resource.type == ACCOUNT_FEDERATION_POLICY:
        yield (
            "an account federation policy lets tokens of its issuer sign in as any matching "
            "user: the estate federates only its deployer"
        )
        return
    if not holds(resource, "servicePrincipalId", stack.deployer_service_principal, "id"):
        yield (
            f"federates the service principal {resource.shown('servicePrincipalId')}: only the "
            "deployer is federated, and any service principal may be an admin"
        )
    issuer = resource.get("oidcPolicy", "issuer")
    subject = resource.get("oidcPolicy", "subject")
    claim = resource.get("oidcPolicy", "subjectClaim") or "sub"
    if issuer != GITHUB_OIDC_ISSUER:
        yield f"trusts the issuer {issuer!r}: only {GITHUB_OIDC_ISSUER}"
    if claim != "sub" or subject not in trust.github_subjects:
        yield (
            f"trusts {claim} {subject!r}: only the subjects "
            f"{', '.join(sorted(trust.github_subjects))}"
        )
