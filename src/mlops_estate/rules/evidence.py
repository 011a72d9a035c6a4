"""Encryption and evidence: the estate's keys, where the logs go, who reads the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..vocabulary.azure import ALL_LOGS, BLOB_SERVICE, in_resource_group
from ..vocabulary.resource_types import (
    AZURE_WORKSPACE,
    DIAGNOSTIC_SETTING,
    GRANT,
    GRANTS,
    KEY_VAULT,
    KEY_VAULT_KEY,
    LOG_ANALYTICS_WORKSPACE,
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

# What the estate's views need from the system catalog, and all a principal gets there.
SYSTEM_READ_PRIVILEGES = frozenset({"USE_CATALOG", "USE_SCHEMA", "SELECT"})
# "billing may be auto-enabled once GA and should not be manually declared"
# (terraform-provider-databricks docs/resources/system_schema.md).
UNDECLARED_SYSTEM_SCHEMAS = frozenset({"billing"})

# A reference to the system catalog in SQL, once names are normalized: `system.` as a name.
SYSTEM_REFERENCE = re.compile(rf"(?<![\w.]){SYSTEM_CATALOG}\s*\.")


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
    "Every key of the estate lives in the configured Key Vault, expires, and has a rotation "
    "policy that rotates it before it does.",
    "give each key attributes.expires and a rotation_policy with a rotate action and an "
    "expiry_time",
    [KEY_VAULT_KEY],
)
def keys_expire_and_rotate(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.get("vaultName") != trust.key_vault:
        yield f"the key is in {resource.get('vaultName')!r}, not the configured {trust.key_vault!r}"
    if not resource.get("properties", "attributes", "expires"):
        yield "attributes.expires is unset: the key never expires"
    policy = ("properties", "rotationPolicy")
    if not resource.get(*policy, "attributes", "expiryTime"):
        yield "rotation_policy sets no expiry_time: rotated versions never expire"
    actions = resource.get(*policy, "lifetimeActions", default=[])
    if not any(str((a.get("action") or {}).get("type", "")).lower() == "rotate" for a in actions):
        yield "rotation_policy has no rotate action: the key is never rotated"


@rule(
    "workspace-logs-collected",
    "mandatory",
    "The stack's Azure Databricks workspace and the catalog storage's blob service send all "
    "their logs (allLogs) to the estate's Log Analytics workspace, and no diagnostic setting "
    "sends anything anywhere else.",
    "declare a diagnostic setting with category_group allLogs to the configured Log Analytics "
    "workspace, and no storage account, event hub or partner destination",
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
    return str(uri).lower() == f"{account_id}{BLOB_SERVICE}".lower()


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
    if destination is not None and str(destination).lower() == configured.lower():
        return True
    return any(
        holds(setting, "workspaceId", logs, "id")
        for logs in stack.of_type(LOG_ANALYTICS_WORKSPACE)
        if logs.known("workspaceName") == configured
    )


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
    "The auditors can query the audit evidence views: USE_SCHEMA and SELECT on the evidence "
    "schema.",
    "grant the auditors USE_SCHEMA and SELECT on evidence.schema_name in the governed catalog",
    [SCHEMA],
    scope="stack",
)
def auditors_read_evidence(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    full_name = f"{resource.get('catalogName')}.{resource.get('name')}"
    if full_name != trust.evidence_schema:
        return
    held: set[str] = set()
    for grants in stack.of_type(GRANTS):
        if securable_of(grants) == ("schema", full_name):
            held.update(
                normalize_privilege(p)
                for principal, privileges in granted(grants)
                if principal == trust.auditors
                for p in privileges
            )
    missing = sorted({"USE_SCHEMA", "SELECT"} - held)
    if missing:
        yield f"the auditors lack {', '.join(missing)} on the evidence schema {full_name!r}"


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
