"""Workspace rules: locked folders, jobs as service principals, entitlements, tokens, registry."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..vocabulary.resource_types import (
    AZURE_WORKSPACE,
    CLUSTER_POLICY,
    DIRECTORY,
    ENTITLEMENTS,
    GROUP,
    JOB,
    MWS_PERMISSION_ASSIGNMENT,
    NOTEBOOK,
    PERMISSIONS,
    PIPELINE,
    USER,
    WORKSPACE_CONF,
    WORKSPACE_FILE,
)
from ..vocabulary.workspace import (
    CAN_READ,
    CAN_USE,
    HUMAN_FOLDER_LEVELS,
    HUMAN_OBJECT_LEVELS,
    HUMAN_WRITABLE_ROOTS,
    PERMISSION_OBJECT_KEYS,
    PERSONAL_COMPUTE_FAMILY,
    REVIEWED_WORKSPACE_SETTINGS,
    USERS_GROUP,
    VERBOSE_AUDIT_LOGS,
    VIEW_ACL_SETTINGS,
    WORKSPACE_HARDENING,
    WORKSPACE_TREE_KEYS,
    under_human_writable_root,
)
from ..vocabulary.workspace import ENTITLEMENTS as ENTITLEMENTS_BY_PROPERTY
from .context import StackContext, holds
from .readers import PATH_KEYS, human_access_controls
from .registry import rule
from .resource import Resource
from .trust import Trust


@rule(
    "deployment-folder-locked",
    "mandatory",
    "On a deployment or PR-validation folder, only service principals hold CAN_EDIT or "
    "CAN_MANAGE; humans hold at most CAN_READ or CAN_RUN.",
    "give humans at most CAN_READ or CAN_RUN on locked folders; only CI/CD writes there",
    [PERMISSIONS],
    live=True,
)
def deployment_folder_locked(resource: Resource, _: Trust) -> Iterator[str]:
    if not any(resource.get(key) for key in WORKSPACE_TREE_KEYS):
        return
    for principal, level in human_access_controls(resource):
        if level not in HUMAN_FOLDER_LEVELS:
            yield (
                f"{principal!r} holds {level} on a locked folder: humans may hold only "
                f"{' or '.join(sorted(HUMAN_FOLDER_LEVELS))}; only CI/CD writes here"
            )


@rule(
    "no-deployments-under-shared-or-users",
    "mandatory",
    "No estate-managed directory, notebook or folder permission lies under /Shared or /Users.",
    "deploy into a locked folder such as /Deployments/<project>",
    [DIRECTORY, NOTEBOOK, WORKSPACE_FILE, PERMISSIONS],
)
def no_deployments_under_shared_or_users(resource: Resource, _: Trust) -> Iterator[str]:
    for key in PATH_KEYS:
        path = resource.get(key)
        if path and under_human_writable_root(path):
            yield (
                f"{key} {path!r} lies under {' or '.join(HUMAN_WRITABLE_ROOTS)}, where humans "
                "can write: use a locked folder such as /Deployments/<project>"
            )


@rule(
    "jobs-run-as-service-principal",
    "mandatory",
    "Every Job or pipeline the estate declares runs as a service principal.",
    "set run_as.service_principal_name to the deployer's application id",
    [JOB, PIPELINE],
)
def jobs_run_as_service_principal(resource: Resource, _: Trust) -> Iterator[str]:
    principal = resource.get("runAs", "servicePrincipalName")
    if not principal:
        user = resource.get("runAs", "userName") or resource.get("runAsUserName")
        who = f"the user {user!r}" if user else "its creator"
        yield (f"runs as {who}: set run_as.service_principal_name to the deployer's application id")


@rule(
    "prod-humans-no-cluster-create",
    "mandatory",
    "In Prod, no human group or user is entitled to create clusters or instance pools.",
    "set allow_cluster_create and allow_instance_pool_create to false for humans in Prod",
    [ENTITLEMENTS, GROUP, USER],
    live=True,
)
def prod_humans_no_cluster_create(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or resource.get("servicePrincipalId"):
        return
    for entitlement in ("allowClusterCreate", "allowInstancePoolCreate"):
        if resource.get(entitlement) is True:
            yield f"{entitlement} is true for humans in Prod: set it to false"


@rule(
    "service-principals-compute-by-policy",
    "mandatory",
    "No service principal is entitled to create clusters or instance pools: the deployer "
    "creates job compute through the cluster policy it may use.",
    "set allow_cluster_create and allow_instance_pool_create to false for service principals; "
    "grant CAN_USE on a cluster policy instead",
    [ENTITLEMENTS],
    live=True,
)
def service_principals_compute_by_policy(resource: Resource, _: Trust) -> Iterator[str]:
    # "When granted to a user or service principal, they can create unrestricted clusters"
    # (https://learn.microsoft.com/azure/databricks/security/auth/entitlements), outside any
    # policy: the deployer's job-only policy would then bound nothing.
    if not resource.get("servicePrincipalId"):
        return
    for entitlement in ("allowClusterCreate", "allowInstancePoolCreate"):
        if resource.get(entitlement) is True:
            yield (
                f"{entitlement} is true for a service principal: it could create compute "
                "outside its cluster policy; set it to false"
            )


@rule(
    "entitlements-only-for-assigned-principals",
    "mandatory",
    "Entitlements go only to the principals the stack assigns to its own workspace, one "
    "Entitlements per principal. Every other principal, the workspace's users group (which "
    "every user and service principal belongs to) included, holds consumer access at most, and "
    "the users group's entitlements are managed.",
    'manage the users group\'s entitlements (databricks.get_group(display_name="users")) with '
    "consumer access only; entitle only the persona groups and the deployer",
    [ENTITLEMENTS, AZURE_WORKSPACE],
    scope="stack",
)
def entitlements_only_for_assigned_principals(
    resource: Resource, stack: StackContext
) -> Iterator[str]:
    # "The users group is granted the Workspace access and Databricks SQL access entitlements by
    # default. All workspace users and service principals are members of the users group"
    # (https://learn.microsoft.com/azure/databricks/security/auth/entitlements).
    if resource.type == ENTITLEMENTS:
        yield from _entitled_principal(resource, stack)
        return
    if resource is not stack.own_workspace or not stack.lookups_seen:
        return  # a policy pack sees ids, not the names looked up; estate plan checks this
    users_groups = {gid for gid, name in stack.group_names.items() if name == USERS_GROUP}
    if not any(str(e.known("groupId")) in users_groups for e in stack.of_type(ENTITLEMENTS)):
        yield (
            "the workspace's users group keeps its default entitlements (workspace and "
            "Databricks SQL access for every user): manage them, consumer access only"
        )


def _same_principal(assignment: Resource, entitlements: Resource, key: str) -> bool:
    """Whether an assignment names the principal an Entitlements names: the same known id, or,
    while both are unknown (a preview before the principal exists), the same one source."""
    assigned, entitled = assignment.known("principalId"), entitlements.known(key)
    if assigned is not None and entitled is not None:
        return str(assigned) == str(entitled)
    sources = assignment.property_dependencies.get("principalId")
    return (
        assigned is None
        and entitled is None
        and bool(sources)
        and len(sources) == 1
        and entitlements.property_dependencies.get(key) == sources
    )


def _entitled_principal(resource: Resource, stack: StackContext) -> Iterator[str]:
    key = next((k for k in ("groupId", "servicePrincipalId", "userId") if resource.sets(k)), None)
    if key is None:
        return
    principal = resource.known(key)
    twins = [
        other.name
        for other in stack.of_type(ENTITLEMENTS)
        if principal is not None and other.urn != resource.urn and other.known(key) == principal
    ]
    if twins:
        yield (
            f"entitles {principal!r}, as Entitlements {', '.join(sorted(twins))} does: two "
            "resources would overwrite each other's entitlements"
        )
    assigned = any(
        holds(a, "workspaceId", stack.own_workspace, "workspaceId")
        and _same_principal(a, resource, key)
        for a in stack.of_type(MWS_PERMISSION_ASSIGNMENT)
    )
    if assigned:
        return
    beyond = [
        prop
        for prop in ENTITLEMENTS_BY_PROPERTY
        if prop != "workspaceConsume" and resource.get(prop) is True
    ]
    if beyond:
        yield (
            f"gives {resource.shown(key)}, which the stack does not assign to its workspace (the "
            f"users group, for one), {', '.join(beyond)}: such principals hold consumer "
            "access at most"
        )


@rule(
    "token-permissions-need-tokens",
    "mandatory",
    "Token permissions are declared only where the config has the estate manage them: "
    "Databricks refuses them while tokens are off, or before the first token exists.",
    "set workspace.tokens.enabled and, once a token exists, workspace.tokens.manage_permissions",
    [PERMISSIONS],
)
def token_permissions_need_tokens(resource: Resource, trust: Trust) -> Iterator[str]:
    # "It is required to have at least 1 personal access token in the workspace before you can
    # manage tokens permissions" (pulumi_databricks.Permissions).
    if resource.get("authorization") == "tokens" and not trust.token_permissions_managed:
        yield (
            "manages token permissions, which the config does not: Databricks answers "
            '"tokens tokens does not exist" until tokens are on and one exists'
        )


@rule(
    "personal-compute-delegated",
    "advisory",
    "In Prod, the account's Personal Compute setting is DELEGATE: while it is ON, every user "
    "of every workspace may create compute through Databricks' built-in Personal Compute "
    "policy, whatever the estate declares.",
    "set the account's Personal Compute setting (dcp_acct_enable) to DELEGATE and declare "
    "databricks.personal_compute: DELEGATE",
    [AZURE_WORKSPACE],
    live=True,
)
def personal_compute_delegated(resource: Resource, trust: Trust) -> Iterator[str]:
    # databricks-sdk settings.PersonalComputeMessageEnum: ON "grants all users in all
    # workspaces access to the Personal Compute default policy"; DELEGATE "moves access
    # control for the Personal Compute default policy to individual workspaces".
    if not trust.is_prod or resource.get("workspaceName") != trust.workspace_name:
        return
    if trust.personal_compute != "DELEGATE":
        yield (
            f"the account's Personal Compute setting is {trust.personal_compute}: every Prod "
            "user can create personal compute through the built-in Personal Compute policy"
        )


@rule(
    "tokens-for-service-principals-only",
    "advisory",
    "The workspace token permissions grant CAN_USE only to service principals.",
    f"grant {CAN_USE} on tokens only to service principals",
    [PERMISSIONS],
    live=True,
)
def tokens_for_service_principals_only(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("authorization") != "tokens":
        return
    for principal, level in human_access_controls(resource):
        yield (
            f"{principal!r} may use tokens ({level}): grant {CAN_USE} on tokens only to "
            "service principals"
        )


@rule(
    "prod-workspace-registry-read-only",
    "advisory",
    "In Prod, humans hold at most CAN_READ on the workspace model registry.",
    f"give humans {CAN_READ} on the Prod workspace model registry",
    [PERMISSIONS],
    live=True,
)
def prod_workspace_registry_read_only(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or not resource.get("registeredModelId"):
        return
    for principal, level in human_access_controls(resource):
        if level != CAN_READ:
            yield f"{principal!r} holds {level} on the Prod model registry: give humans CAN_READ"


@rule(
    "object-permissions-read-run-only",
    "mandatory",
    "On every workspace object the estate declares permissions for (folders, jobs, pipelines, "
    "clusters, policies, pools, repos, experiments, models, endpoints, warehouses, tokens), "
    "humans hold at most read, run, use, attach or query; never edit, manage or ownership.",
    "give humans CAN_READ, CAN_VIEW, CAN_RUN, CAN_USE, CAN_ATTACH_TO or CAN_QUERY; only the "
    "deployer manages what it deploys",
    [PERMISSIONS],
    live=True,
)
def object_permissions_read_run_only(resource: Resource, _: Trust) -> Iterator[str]:
    target = next(
        (f"{key} {resource.get(key)}" for key in PERMISSION_OBJECT_KEYS if resource.get(key)),
        "its object",
    )
    for principal, level in human_access_controls(resource):
        if level not in HUMAN_OBJECT_LEVELS:
            yield (
                f"{principal!r} holds {level} on {target}: humans may hold only "
                f"{', '.join(sorted(HUMAN_OBJECT_LEVELS))}"
            )


@rule(
    "prod-no-human-cluster-policy",
    "mandatory",
    "In Prod, humans may use no cluster policy: only the deployer creates compute there.",
    "grant CAN_USE on Prod cluster policies only to the deployer",
    [PERMISSIONS],
    live=True,
)
def prod_no_human_cluster_policy(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or not resource.get("clusterPolicyId"):
        return
    for principal, level in human_access_controls(resource):
        yield (
            f"{principal!r} holds {level} on a Prod cluster policy: humans create no "
            "compute in Prod"
        )


@rule(
    "workspace-conf-hardened",
    "mandatory",
    "No workspace setting is weaker than the estate's: view ACLs stay enforced, verbose audit "
    "logs stay on, personal access tokens stay as the config says, and their lifetime within "
    "its bound; no setting the estate does not review is changed.",
    "keep enforceWorkspaceViewAcls, enforceClusterViewAcls, enableJobViewAcls and "
    "enableVerboseAuditLogs true; change tokens only through the config; set no other "
    "workspace setting",
    [WORKSPACE_CONF],
    live=True,
)
def workspace_conf_hardened(resource: Resource, trust: Trust) -> Iterator[str]:
    settings = resource.get("customConfig", default={})
    for key in settings:
        if key not in REVIEWED_WORKSPACE_SETTINGS:
            yield (
                f"{key} is not a workspace setting the estate reviews: remove it (a "
                f"WorkspaceConf holds only {', '.join(REVIEWED_WORKSPACE_SETTINGS)})"
            )
    for key in VIEW_ACL_SETTINGS:
        if key in settings and str(resource.get("customConfig", key)).lower() != "true":
            yield f'{key} is {settings[key]!r}: view ACLs stay enforced; set it to "true"'
    verbose = str(resource.get("customConfig", VERBOSE_AUDIT_LOGS, default="")).lower()
    if verbose != "true":
        yield (
            f"{VERBOSE_AUDIT_LOGS} is {verbose or 'unset'!r}: the audit logs keep the text of "
            'each command and query; set it to "true"'
        )
    tokens = str(resource.get("customConfig", "enableTokensConfig", default="")).lower()
    if tokens != "false" and not trust.tokens_enabled:
        # Tokens are on by default, so leaving the key out leaves them on.
        yield (
            f"enableTokensConfig is {tokens or 'unset'!r}: the config keeps personal access "
            'tokens off; set it to "false" (the estate authenticates with Entra ID and OIDC)'
        )
    lifetime = resource.get("customConfig", "maxTokenLifetimeDays")
    if lifetime is not None and (
        not re.fullmatch(r"[0-9]{1,6}", str(lifetime))
        or not 1 <= int(lifetime) <= trust.max_token_lifetime_days
    ):
        yield (
            f"maxTokenLifetimeDays is {lifetime!r}: at most the config's "
            f"{trust.max_token_lifetime_days}"
        )


@rule(
    "one-workspace-conf",
    "mandatory",
    "A stack declares one WorkspaceConf: deleting any WorkspaceConf resets every enable* and "
    "enforce* setting of the workspace to false, view ACLs included.",
    "manage workspace settings only through the estate's WorkspaceHardening component",
    [WORKSPACE_CONF],
    scope="stack",
)
def one_workspace_conf(resource: Resource, stack: StackContext) -> Iterator[str]:
    # "Upon resource deletion, properties that start with `enable` or `enforce` will be reset
    # to `false`" (pulumi_databricks.WorkspaceConf): removing a second conf later, in an update
    # no policy sees as a creation, would switch off the view ACLs the estate's conf enforces.
    # The estate's own is the one its WorkspaceHardening component declares (its URN names
    # the parent's type); a look-alike component makes two, and one of them is reported.
    confs = stack.of_type(WORKSPACE_CONF)
    own = next((c for c in confs if f"{WORKSPACE_HARDENING}$" in c.urn), confs[0])
    if resource.urn != own.urn:
        yield (
            f"a second WorkspaceConf in the stack (the estate's is {own.name!r}): deleting it "
            "would reset every enable* and enforce* setting to false; remove it"
        )


# Access modes that keep Unity Catalog's isolation on a cluster (databricks-sdk
# compute.DataSecurityMode): DATA_SECURITY_MODE_STANDARD and DATA_SECURITY_MODE_DEDICATED, and
# their "legacy aliases" USER_ISOLATION and SINGLE_USER. NONE and the LEGACY_* modes bypass it;
# DATA_SECURITY_MODE_AUTO lets Databricks "choose the most appropriate access mode", which the
# rules cannot see.
UNITY_CATALOG_ACCESS_MODES = frozenset(
    {"SINGLE_USER", "USER_ISOLATION", "DATA_SECURITY_MODE_DEDICATED", "DATA_SECURITY_MODE_STANDARD"}
)
DATA_SECURITY_MODE = "data_security_mode"
# Databricks' policy families the estate uses: Personal Compute runs in single-user mode.
REVIEWED_POLICY_FAMILIES = frozenset({PERSONAL_COMPUTE_FAMILY})
NOT_UNITY_CATALOG = (
    "data_security_mode is not fixed to a Unity Catalog access mode: clusters could run "
    "without Unity Catalog's isolation"
)


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _DuplicateKey(keys)
    return dict(pairs)


def policy_document(text: object) -> dict[str, object] | None:
    """A policy definition (or family override) as Databricks reads it: a JSON object, its
    escapes decoded (`data\\u005fsecurity_mode` is `data_security_mode`); None if it is not
    one, or if a key repeats, where which one wins is the parser's choice."""
    try:
        document = json.loads(str(text), object_pairs_hook=_unique_keys)
    except ValueError:  # JSONDecodeError and _DuplicateKey
        return None
    return document if isinstance(document, dict) else None


def _mode_limits(document: dict[str, object]) -> list[object]:
    """The limits a policy document puts on data_security_mode, however its key is cased."""
    return [limit for key, limit in document.items() if key.lower() == DATA_SECURITY_MODE]


def _unity_catalog_only(limit: object) -> Iterator[str]:
    """Why a data_security_mode limit lets a cluster run outside Unity Catalog, if it does.

    The compute policy reference (https://learn.microsoft.com/azure/databricks/admin/clusters/
    policy-definition) knows the types fixed, forbidden, allowlist, blocklist, regex, range
    and unlimited: only fixed ("value") and allowlist ("values") name every mode a cluster may
    take, and an allowlist with isOptional true lets the cluster leave the mode out. Any
    other type admits NONE or a legacy mode.
    """
    if not isinstance(limit, dict):
        yield NOT_UNITY_CATALOG
        return
    if limit.get("type") == "fixed" and limit.get("value") in UNITY_CATALOG_ACCESS_MODES:
        return
    if limit.get("type") != "allowlist":
        yield NOT_UNITY_CATALOG
        return
    values = limit.get("values")
    if not isinstance(values, list) or not values:
        yield "data_security_mode is an allowlist without values: list Unity Catalog access modes"
        return
    others = [str(v) for v in values if v not in UNITY_CATALOG_ACCESS_MODES]
    default = limit.get("defaultValue")
    if default is not None and default not in UNITY_CATALOG_ACCESS_MODES:
        others.append(f"{default} (its default)")
    if others:
        yield (
            f"data_security_mode allows {', '.join(others)}: allow only Unity Catalog access "
            f"modes ({', '.join(sorted(UNITY_CATALOG_ACCESS_MODES))})"
        )
    if limit.get("isOptional"):
        yield (
            "data_security_mode is optional: a cluster that leaves it out runs without Unity "
            "Catalog's isolation; remove isOptional"
        )


@rule(
    "cluster-policies-unity-catalog-only",
    "mandatory",
    "Every cluster policy keeps Unity Catalog's isolation: its definition fixes "
    "data_security_mode to a Unity Catalog access mode or allows only such modes, or it is the "
    "Personal Compute family with no override of the mode.",
    'fix "data_security_mode" to {"type": "fixed", "value": "SINGLE_USER"} (or another Unity '
    "Catalog mode), or allowlist only Unity Catalog modes",
    [CLUSTER_POLICY],
)
def cluster_policies_unity_catalog_only(resource: Resource, _: Trust) -> Iterator[str]:
    family = resource.get("policyFamilyId")
    if family:
        if family not in REVIEWED_POLICY_FAMILIES:
            yield (
                f"the policy family {family!r} is not reviewed: use a definition that fixes "
                "data_security_mode"
            )
        overrides = resource.get("policyFamilyDefinitionOverrides")
        if overrides:
            document = policy_document(overrides)
            if document is None:
                yield (
                    "its overrides are not a JSON object with unique keys: Databricks could "
                    "read them otherwise than the rules do; write them with json.dumps"
                )
            elif _mode_limits(document):
                yield "its overrides change data_security_mode: leave the family's mode"
        return
    document = policy_document(resource.get("definition") or "{}")
    if document is None:
        yield (
            "its definition is not a JSON object with unique keys: Databricks could read it "
            "otherwise than the rules do; write it with json.dumps"
        )
        return
    limits = _mode_limits(document)
    if len(limits) != 1:
        yield NOT_UNITY_CATALOG
        return
    yield from _unity_catalog_only(limits[0])
