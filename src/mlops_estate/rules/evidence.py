"""Encryption and evidence: the estate's keys, where the logs go, who reads the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..vocabulary.azure import (
    ALL_LOGS,
    BLOB_SERVICE,
    GRANTING_ROLES,
    KEY_OPERATIONS,
    READ_ONLY_ROLES,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    STORAGE_BLOB_DATA_OWNER,
    id_key,
    in_resource_group,
    role_definition_guid,
    same_id,
)
from ..vocabulary.resource_types import (
    AZURE_WORKSPACE,
    DIAGNOSTIC_SETTING,
    GRANT,
    GRANTS,
    KEY_VAULT,
    KEY_VAULT_KEY,
    LOG_ANALYTICS_WORKSPACE,
    ROLE_ASSIGNMENT,
    SCHEMA,
    SQL_TABLE,
    STORAGE_ACCOUNT,
    SYSTEM_SCHEMA,
)
from ..vocabulary.unity_catalog import (
    EVIDENCE_VIEWS,
    SYSTEM_CATALOG,
    normalize_privilege,
    normalized_name,
)
from .context import StackContext, holds
from .readers import granted, securable_of
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust
from .unity_catalog import grants_on

# What the estate's views need from the system catalog, and all a principal gets there.
SYSTEM_READ_PRIVILEGES = frozenset({"USE_CATALOG", "USE_SCHEMA", "SELECT"})
# "billing may be auto-enabled once GA and should not be manually declared"
# (terraform-provider-databricks docs/resources/system_schema.md).
UNDECLARED_SYSTEM_SCHEMAS = frozenset({"billing"})

# A reference to the system catalog in SQL, once names are normalized: `system.` as a name.
SYSTEM_REFERENCE = re.compile(rf"(?<![\w.]){SYSTEM_CATALOG}\s*\.")

# A rotation policy's durations, "in ISO 8601 duration format. Eg: 'P90D', 'P1Y'"
# (pulumi_azure_native.keyvault.TriggerArgs, KeyRotationPolicyAttributesArgs): years, months,
# weeks and days.
ISO_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
# What Key Vault takes in a rotation policy: an expiry_time that "should be at least 28 days"
# (KeyRotationPolicy.ExpiresIn, Azure SDK for .NET), and a "Rotation time: key rotation
# interval, the minimum value is seven days from creation and seven days from expiration time"
# (https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation).
MIN_KEY_VERSION_DAYS = 28
MIN_ROTATION_DAYS = 7
ROTATION_WINDOW = (
    f"Key Vault rotates a version no sooner than {MIN_ROTATION_DAYS} days after its creation "
    f"and no later than {MIN_ROTATION_DAYS} days before its expiry"
)

# Roles that may reach the estate's logs or what sends them there: Reader's `*/read`, and the
# blob data roles, whose actions touch only blob containers and their data (Learn, built-in
# roles: storage). Every other role can delete or purge logs or change a diagnostic setting:
# Contributor (`*`), Log Analytics Contributor (`Microsoft.Insights/diagnosticSettings/*`,
# `Microsoft.OperationalInsights/*`), Data Purger (`workspaces/purge/action`; Learn, built-in
# roles: monitor)...
LOG_SAFE_ROLES = READ_ONLY_ROLES | {STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_BLOB_DATA_OWNER}


@rule(
    "prod-customer-managed-keys",
    "mandatory",
    "Prod's workspace encrypts managed services and managed disks with keys of the estate's Key "
    "Vault, unless the config gives a reason to do without.",
    "set encryption.customer_managed_keys (on by default in prod)",
    [AZURE_WORKSPACE],
)
def prod_customer_managed_keys(resource: Resource, trust: Trust) -> Iterator[str]:
    if not trust.is_prod or resource.get("workspaceName") != trust.workspace_name:
        return
    if trust.microsoft_managed_keys_reason:
        return
    entities = resource.get("encryption", "entities", default={})
    for entity in ("managedServices", "managedDisk"):
        vault_uri = resource.get(
            "encryption", "entities", entity, "keyVaultProperties", "keyVaultUri"
        )
        if entity not in entities or not _in_vault(vault_uri, trust.key_vault):
            yield (
                f"{entity} is not encrypted with a key of the Key Vault {trust.key_vault or '?'}:"
                " Prod uses customer-managed keys"
            )


def _in_vault(vault_uri: object, vault: str) -> bool:
    """Whether a key vault URI (https://NAME.vault.azure.net/) names the configured vault."""
    return bool(vault) and str(vault_uri or "").lower().rstrip("/") == (
        f"https://{vault}.vault.azure.net".lower()
    )


@rule(
    "key-vaults-protected",
    "mandatory",
    "The estate's Key Vault is the configured one, authorizes by Azure RBAC, keeps deleted keys "
    "(soft delete with purge protection) and denies network access but for trusted Azure "
    "services; a purged key makes what it encrypts unreadable.",
    "declare only encryption.key_vault, with enable_rbac_authorization, enable_purge_protection "
    'and network_acls default_action "Deny"',
    [KEY_VAULT],
)
def key_vaults_protected(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.get("vaultName") != trust.key_vault:
        yield f"the vault {resource.get('vaultName')!r} is not the configured {trust.key_vault!r}"
    properties = ("properties",)
    # VaultPropertiesArgs: access policies unless enableRbacAuthorization ("If null or not
    # specified, the vault is created with the default value of false"); purge protection
    # is off unless set; soft delete "will be set to true by default".
    if resource.get(*properties, "enableRbacAuthorization") is not True:
        yield "enable_rbac_authorization is not true: the vault would use access policies"
    if resource.get(*properties, "enablePurgeProtection") is not True:
        yield "enable_purge_protection is not true: a deleted key could be purged for good"
    if resource.get(*properties, "enableSoftDelete") is False:
        yield "enable_soft_delete is false: a deleted key would be gone at once"
    if resource.get(*properties, "networkAcls", "defaultAction") != "Deny":
        yield 'network_acls default_action is not "Deny": the vault is open to every network'


@rule(
    "keys-expire-and-rotate",
    "mandatory",
    "Every key of the estate lives in the configured Key Vault, is enabled, expires, and has a "
    f"rotation policy whose versions live at least {MIN_KEY_VERSION_DAYS} days and no longer "
    "than the config's key lifetime, and are rotated while they are valid, at least "
    f"{MIN_ROTATION_DAYS} days after their creation and {MIN_ROTATION_DAYS} days before their "
    "expiry (Key Vault takes no shorter span).",
    "give each key attributes.expires (and no enabled false) and a rotation_policy with an "
    f"expiry_time from {MIN_KEY_VERSION_DAYS} days to encryption.key_lifetime_days, and a "
    "rotate action triggered time_before_expiry (or time_after_create) of at least "
    f"{MIN_ROTATION_DAYS} days and at least {MIN_ROTATION_DAYS} days shorter than the "
    "expiry_time",
    [KEY_VAULT_KEY],
)
def keys_expire_and_rotate(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.get("vaultName") != trust.key_vault:
        yield f"the key is in {resource.get('vaultName')!r}, not the configured {trust.key_vault!r}"
    attributes = ("properties", "attributes")
    # KeyAttributesArgs.enabled: "Determines whether or not the object is enabled."
    if resource.get(*attributes, "enabled") is False:
        yield "attributes.enabled is false: what the key encrypts cannot be read"
    if not resource.get(*attributes, "expires"):
        yield "attributes.expires is unset: the key never expires"
    policy = ("properties", "rotationPolicy")
    expiry = resource.get(*policy, "attributes", "expiryTime")
    lifetime = duration_days(expiry)
    if expiry is None:
        yield "rotation_policy sets no expiry_time: rotated versions never expire"
    elif lifetime is None:
        yield f"rotation_policy expiry_time {expiry!r} is not an ISO 8601 duration such as 'P365D'"
    else:
        yield from _lives_as_configured(expiry, lifetime, trust)
    rotations = [
        action
        for action in resource.items(*policy, "lifetimeActions")
        if str((action.get("action") or {}).get("type", "")).lower() == "rotate"
    ]
    if not rotations:
        yield "rotation_policy has no rotate action: the key is never rotated"
    for action in rotations:
        yield from _rotates_in_time(action.get("trigger") or {}, expiry, lifetime)


def _lives_as_configured(expiry: object, lifetime: tuple[int, int], trust: Trust) -> Iterator[str]:
    """A rotated version's lifetime: what Key Vault takes, and no longer than the config's."""
    if lifetime[0] < MIN_KEY_VERSION_DAYS:
        yield (
            f"rotation_policy expiry_time {expiry!r} is under {MIN_KEY_VERSION_DAYS} days: Key "
            "Vault refuses a shorter lifetime"
        )
    if lifetime[1] > trust.key_lifetime_days:
        yield (
            f"rotation_policy expiry_time {expiry!r} may outlast encryption.key_lifetime_days "
            f"({trust.key_lifetime_days} days): rotated versions would live longer than the "
            "config lets a key version live"
        )


def _rotates_in_time(
    trigger: Any, expiry: object, lifetime: tuple[int, int] | None
) -> Iterator[str]:
    """A rotate action's trigger, against the lifetime of the versions it rotates: "the time
    duration before key expiring to rotate" or "after key creation to rotate the key"
    (TriggerArgs), either one rotates a version inside the window Key Vault allows, and so
    before it expires."""
    triggers = {
        key: trigger.get(name)
        for key, name in (
            ("time_before_expiry", "timeBeforeExpiry"),
            ("time_after_create", "timeAfterCreate"),
        )
        if trigger.get(name) is not None
    }
    if not triggers:
        yield "a rotate action has no trigger: the key is never rotated"
    for key, value in triggers.items():
        span = duration_days(value)
        if span is None:
            yield f"{key} {value!r} is not an ISO 8601 duration such as 'P30D'"
        elif span[0] < MIN_ROTATION_DAYS:
            yield f"{key} {value!r} is under {MIN_ROTATION_DAYS} days: {ROTATION_WINDOW}"
        elif lifetime is not None and span[1] > lifetime[0] - MIN_ROTATION_DAYS:
            yield (
                f"{key} {value!r} is not surely {MIN_ROTATION_DAYS} days shorter than the "
                f"expiry_time {expiry!r}: {ROTATION_WINDOW}"
            )


def duration_days(value: object) -> tuple[int, int] | None:
    """The fewest and the most days an ISO 8601 duration of years, months, weeks and days
    spans (a year is 365 or 366 days, a month 28 to 31), or None if `value` is not one."""
    match = ISO_DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None or not any(match.groups()):
        return None
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    fixed = 7 * weeks + days
    return fixed + 365 * years + 28 * months, fixed + 366 * years + 31 * months


@rule(
    "keys-wrap-only",
    "mandatory",
    "Every key of the estate permits only wrapKey and unwrapKey, all Azure Databricks' "
    "identities do with it: a key without key_ops permits every operation of its type.",
    'set key_ops to ["wrapKey", "unwrapKey"]',
    [KEY_VAULT_KEY],
)
def keys_wrap_only(resource: Resource, _: Trust) -> Iterator[str]:
    operations = resource.items("properties", "keyOps")
    if not operations:
        yield "key_ops is unset: the key permits every operation of its type"
    extra = sorted(set(map(str, operations)) - set(KEY_OPERATIONS))
    if extra:
        yield f"key_ops permits {', '.join(extra)}: only {' and '.join(KEY_OPERATIONS)}"


@rule(
    "workspace-logs-collected",
    "mandatory",
    "The stack's Azure Databricks workspace and the catalog storage's blob service send all "
    "their logs (allLogs) to the estate's Log Analytics workspace; every diagnostic setting "
    "sends all the logs of what it diagnoses there and nowhere else, none turns a log off, and "
    "none is declared twice (a second setting of one name on one resource replaces the first).",
    "declare one diagnostic setting per resource and name, with category_group allLogs enabled, "
    "to the configured Log Analytics workspace, and no storage account, event hub or partner "
    "destination",
    [AZURE_WORKSPACE, STORAGE_ACCOUNT, DIAGNOSTIC_SETTING, LOG_ANALYTICS_WORKSPACE],
    scope="stack",
)
def workspace_logs_collected(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if resource.type == LOG_ANALYTICS_WORKSPACE:
        if resource.get("workspaceName") != trust.log_analytics_workspace:
            yield (
                f"the Log Analytics workspace {resource.get('workspaceName')!r} is not the "
                f"configured {trust.log_analytics_workspace!r}"
            )
        return
    if resource.type == DIAGNOSTIC_SETTING:
        target = str(resource.get("resourceUri", default=""))
        if not in_resource_group(target, trust.subscription_id, trust.resource_group):
            yield f"diagnoses {target!r}, outside the configured resource group"
        for key in (
            "storageAccountId",
            "eventHubAuthorizationRuleId",
            "eventHubName",
            "marketplacePartnerId",
            "serviceBusRuleId",
        ):
            if resource.get(key):
                yield (
                    f"sends logs to {key} {resource.get(key)!r}: only to the estate's Log "
                    "Analytics workspace"
                )
        if not _to_estate_logs(resource, stack):
            yield (
                f"sends logs to {resource.get('workspaceId')!r}, not the estate's Log Analytics "
                "workspace"
            )
        if not _all_logs(resource):
            yield (
                "does not send allLogs (category_group allLogs, enabled): every diagnostic "
                "setting sends all the logs of what it diagnoses"
            )
        for log in resource.items("logs"):
            if log.get("enabled") is not True:
                yield f"turns off the logs {log.get('categoryGroup') or log.get('category')!r}"
        for twin in _twins(resource, stack):
            yield (
                f"{twin.urn} declares the same diagnostic setting ({resource.get('name')!r} on "
                f"{target!r}): one would replace the other, and deleting either deletes both"
            )
        return
    if resource.type == STORAGE_ACCOUNT:
        if resource.known("accountName") != trust.storage_account:
            return
        diagnosed = _diagnoses(stack, lambda s: _blob_service_of(s, resource))
        what = "the catalog storage's blob service"
    elif resource is stack.own_workspace:
        diagnosed = _diagnoses(stack, lambda s: holds(s, "resourceUri", resource, "id"))
        what = "the workspace"
    else:
        return
    if not diagnosed:
        yield (
            f"no diagnostic setting sends all the logs of {what} (allLogs) to the estate's "
            "Log Analytics workspace"
        )


def _diagnoses(stack: StackContext, targets: Callable[[Resource], bool]) -> bool:
    """Whether a setting on the target sends all its logs to the estate's workspace."""
    return any(
        targets(setting) and _to_estate_logs(setting, stack) and _all_logs(setting)
        for setting in stack.of_type(DIAGNOSTIC_SETTING)
    )


def _blob_service_of(setting: Resource, account: Resource) -> bool:
    """Whether a diagnostic setting is on the account's blob service, whose logs are
    diagnosed at <account id>/blobServices/default (Learn, "Monitor Azure Blob Storage")."""
    uri, account_id = setting.known("resourceUri"), account.known("id")
    if uri is None or account_id is None:
        return (
            uri is None
            and account_id is None
            and (account.urn in setting.property_dependencies.get("resourceUri", ()))
        )
    return same_id(uri, f"{account_id}{BLOB_SERVICE}")


def _twins(setting: Resource, stack: StackContext) -> list[Resource]:
    """The other diagnostic settings of the stack that are the same Azure resource: a
    diagnostic setting is <resource uri>/providers/Microsoft.Insights/diagnosticSettings/<name>
    ("name: The name of the diagnostic setting", DiagnosticSettingArgs), and ARM ids are
    case-insensitive."""
    return [
        other
        for other in stack.of_type(DIAGNOSTIC_SETTING)
        if other.urn != setting.urn and _same_setting(setting, other)
    ]


def _same_setting(setting: Resource, other: Resource) -> bool:
    name, other_name = setting.get("name"), other.get("name")
    return same_id(name, other_name) and same_id(
        setting.get("resourceUri"), other.get("resourceUri")
    )


def _all_logs(setting: Resource) -> bool:
    return any(
        log.get("categoryGroup") == ALL_LOGS and log.get("enabled") is True
        for log in setting.get("logs", default=[])
    )


def _to_estate_logs(setting: Resource, stack: StackContext) -> bool:
    """Whether a diagnostic setting's destination is the configured Log Analytics workspace:
    the existing one the config names, or the one the stack creates under the configured
    name."""
    configured = stack.trust.log_analytics_workspace
    destination = setting.known("workspaceId")
    # An existing workspace is configured by its id; the one the stack creates, by its name,
    # which is no destination a setting may name.
    if configured.startswith("/") and same_id(destination, configured):
        return True
    return any(
        holds(setting, "workspaceId", logs, "id")
        for logs in stack.of_type(LOG_ANALYTICS_WORKSPACE)
        if logs.known("workspaceName") == configured
    )


@rule(
    "logs-out-of-reach",
    "mandatory",
    "No role the stack assigns reaches the estate's logs, or the diagnostic settings that send "
    "them, with more than reading: at the resource group, the Log Analytics workspace, the "
    "Azure Databricks workspace and the catalog storage account (whose diagnostic settings "
    "inherit its roles), only Reader and the blob data roles, so no identity the logs audit "
    "can delete, purge or redirect them.",
    "assign no role at those scopes beyond Reader, Storage Blob Data Contributor and Storage "
    "Blob Data Owner",
    [ROLE_ASSIGNMENT],
)
def logs_out_of_reach(resource: Resource, trust: Trust) -> Iterator[str]:
    role = role_definition_guid(str(resource.get("roleDefinitionId", default="")))
    # Roles that grant roles are refused at every scope (role-assignments-declared-principals).
    if role in LOG_SAFE_ROLES or role in GRANTING_ROLES:
        return
    # A role applies to everything below its scope (Learn, "Understand scope for Azure RBAC").
    scope = str(resource.get("scope", default=""))
    key = id_key(scope)
    for what, arm_id, below in _log_holders(trust):
        if key == arm_id or (below and key.startswith(arm_id + "/")):
            yield (
                f"assigns the role {role} at {scope!r}, which reaches {what}: a role beyond "
                "reading there can delete, purge or redirect the estate's logs"
            )
            return


def _log_holders(trust: Trust) -> list[tuple[str, str, bool]]:
    """What holds the estate's logs or sends them, by lowercase ARM id, and whether a scope
    below it reaches them too: the resource group (scopes above it are refused by
    azure-resources-in-own-scope), the Log Analytics workspace (the existing one the config
    names, or the one the estate creates) and the two diagnosed resources, whose diagnostic
    settings are below them."""
    group = f"/subscriptions/{trust.subscription_id}/resourcegroups/{trust.resource_group}"
    logs = trust.log_analytics_workspace
    if not logs.startswith("/"):
        logs = f"{group}/providers/microsoft.operationalinsights/workspaces/{logs}"
    return [
        (what, id_key(arm_id), below)
        for what, arm_id, below in (
            ("the resource group", group, False),
            ("the Log Analytics workspace", logs, True),
            (
                "the Azure Databricks workspace",
                f"{group}/providers/microsoft.databricks/workspaces/{trust.workspace_name}",
                True,
            ),
            (
                "the catalog storage account",
                f"{group}/providers/microsoft.storage/storageaccounts/{trust.storage_account}",
                True,
            ),
        )
    ]


@rule(
    "system-schemas-declared-once",
    "mandatory",
    "UAT alone enables the system schemas the config lists, once for the metastore, protected "
    "(deleting one disables it metastore-wide); billing, which Databricks enables itself, is "
    "never declared.",
    "declare system schemas only in uat, as evidence.system_schemas lists them, with protect=True",
    [SYSTEM_SCHEMA],
)
def system_schemas_declared_once(resource: Resource, trust: Trust) -> Iterator[str]:
    schema = resource.get("schema")
    if trust.is_prod:
        yield f"Prod declares the system schema {schema!r}: UAT enables them for the metastore"
    elif schema in UNDECLARED_SYSTEM_SCHEMAS:
        yield f"the system schema {schema!r} is enabled by Databricks: do not declare it"
    elif schema not in trust.system_schemas:
        yield f"the system schema {schema!r} is not in evidence.system_schemas"
    if not resource.protect:
        # Deleting a system schema disables it metastore-wide (terraform-provider-databricks
        # system_schema: delete calls `safeDisable`); a pack sees protect, not retain.
        yield "not protected: deleting it would disable it for every workspace of the metastore"


@rule(
    "system-catalog-grants-additive",
    "mandatory",
    "On the shared system catalog the estate grants additively (databricks.Grant), never "
    "authoritatively (Grants would revoke other teams' grants), and only read privileges to "
    "the platform runner, which owns the evidence views: humans read the views, filtered to "
    "the environment's workspace, not the account-wide tables.",
    "grant USE_CATALOG, USE_SCHEMA and SELECT on the system catalog to the platform runner "
    "with databricks.Grant",
    [GRANT, GRANTS],
)
def system_catalog_grants_additive(resource: Resource, trust: Trust) -> Iterator[str]:
    securable = securable_of(resource)
    if not securable or securable[1].split(".")[0] != SYSTEM_CATALOG:
        return
    if resource.type == GRANTS:
        yield (
            f"databricks.Grants on {securable[0]} {securable[1]!r} would revoke every other "
            "team's grants there: use databricks.Grant"
        )
    for principal, privileges in granted(resource):
        if principal != trust.runner_application_id:
            yield (
                f"{principal!r} is granted on {securable[1]!r}: only the platform runner reads "
                "the system tables; others read the evidence views"
            )
        extra = sorted({normalize_privilege(p) for p in privileges} - SYSTEM_READ_PRIVILEGES)
        if extra:
            yield f"{', '.join(extra)} on {securable[1]!r}: only read privileges"


@rule(
    "auditors-read-evidence",
    "advisory",
    "The auditors can query the audit evidence views: the one databricks.Grants on the "
    "evidence catalog gives them USE_CATALOG, the one on the evidence schema USE_SCHEMA and "
    "SELECT.",
    "grant the auditors USE_CATALOG on the evidence catalog, and USE_SCHEMA and SELECT on "
    "evidence.schema_name in it, each in the securable's one databricks.Grants",
    [SCHEMA],
    scope="stack",
)
def auditors_read_evidence(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    full_name = normalized_name(f"{resource.get('catalogName')}.{resource.get('name')}")
    if full_name != trust.evidence_schema:
        return
    needed = {
        ("catalog", trust.evidence_catalog): {"USE_CATALOG"},
        ("schema", full_name): {"USE_SCHEMA", "SELECT"},
    }
    for (securable_type, name), privileges in needed.items():
        declared = grants_on(stack, (securable_type, name))
        if len(declared) > 1:
            # Which one holds depends on the order they are applied in: one-grants-per-securable.
            yield (
                f"which of the {len(declared)} databricks.Grants on the evidence "
                f"{securable_type} {name!r} is applied last decides whether the auditors hold "
                f"{', '.join(sorted(privileges))} there"
            )
            continue
        held = {
            normalize_privilege(p)
            for grants in declared
            for principal, granted_privileges in granted(grants)
            if principal == trust.auditors
            for p in granted_privileges
        }
        missing = privileges - held
        if missing:
            yield (
                f"the auditors lack {', '.join(sorted(missing))} on the evidence "
                f"{securable_type} {name!r}"
            )


@rule(
    "system-tables-only-through-evidence-views",
    "mandatory",
    "Only the estate's evidence views read the system catalog, each filtered to the stack's own "
    "workspace, and the evidence schema holds nothing else: a view runs with its owner's rights, "
    "and the runner's would expose every workspace's audit trail.",
    "read system tables only through the evidence views; create nothing else in the evidence "
    "schema",
    [SQL_TABLE],
    scope="stack",
)
def system_tables_only_through_evidence_views(
    resource: Resource, stack: StackContext
) -> Iterator[str]:
    trust = stack.trust
    schema = normalized_name(f"{resource.get('catalogName')}.{resource.get('schemaName')}")
    name = normalized_name(str(resource.get("name")))
    in_evidence = schema == trust.evidence_schema
    if in_evidence and name not in EVIDENCE_VIEWS:
        yield f"{name!r} in the evidence schema {schema!r}: it holds only the evidence views"
    definition = normalized_name(str(resource.get("viewDefinition", default="")))
    if not SYSTEM_REFERENCE.search(definition):
        return
    if not in_evidence or name not in EVIDENCE_VIEWS:
        yield f"the view {schema}.{name} reads the system catalog: only the evidence views may"
        return
    own = stack.own_workspace.known("workspaceId") if stack.own_workspace else None
    if own is None:
        raise NotYetKnown("the own workspace's id")
    if f"where workspace_id = '{own}'" not in definition:
        yield f"the view {schema}.{name} is not filtered to this workspace ({own})"
