"""Azure rules: hardened workspaces and storage, protected Prod resources, private front ends."""

from __future__ import annotations

from collections.abc import Iterator

from ..vocabulary.azure import (
    GRANTING_ROLES,
    KEY_VAULT_CRYPTO_OFFICER,
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    READ_ONLY_ROLES,
    id_key,
    in_resource_group,
    role_definition_guid,
)
from ..vocabulary.network import GLOBAL_LOCATION
from ..vocabulary.resource_types import (
    ACCESS_CONNECTOR,
    AZURE_NETWORK_TYPES,
    AZURE_WORKSPACE,
    BLOB_CONTAINER,
    CATALOG,
    FEDERATED_IDENTITY_CREDENTIAL,
    GLOBAL_TYPES,
    KEY_VAULT,
    KEY_VAULT_KEY,
    LOG_ANALYTICS_WORKSPACE,
    RESOURCE_GROUP,
    ROLE_ASSIGNMENT,
    ROLE_DEFINITION,
    STORAGE_ACCOUNT,
    USER_ASSIGNED_IDENTITY,
    WORKSPACE_CONF,
)
from .context import StackContext, holds
from .registry import rule
from .resource import Resource
from .trust import Trust

# Any Key Vault as a role scope, or a scope below one, in the one spelling of `id_key`.
KEY_VAULT_SCOPE = id_key("/providers/Microsoft.KeyVault/vaults") + "/"


@rule(
    "workspace-hardened",
    "mandatory",
    "Every Azure Databricks workspace is premium SKU with secure cluster connectivity (no "
    "public IP).",
    'set sku name "premium" and parameters.enable_no_public_ip value true',
    [AZURE_WORKSPACE],
)
def workspace_hardened(resource: Resource, _: Trust) -> Iterator[str]:
    sku = resource.get("sku", "name")
    if sku != "premium":
        yield f'SKU is {sku or "unset"}: set sku name "premium" (Unity Catalog and ACLs)'
    if resource.get("parameters", "enableNoPublicIp", "value") is not True:
        yield ("secure cluster connectivity is off: set parameters.enable_no_public_ip value true")


@rule(
    "prod-protected",
    "mandatory",
    "In Prod, what holds data, access or the isolation settings is protected: the workspace, "
    "the storage account and its containers, the access connector, the deployer identity, "
    "the governed catalogs, the workspace settings, the Key Vault and its keys and the Log "
    "Analytics workspace (protect or retain-on-delete); no "
    "catalog sets force_destroy.",
    "set protect=True (or retain_on_delete=True) and remove force_destroy",
    [
        AZURE_WORKSPACE,
        STORAGE_ACCOUNT,
        BLOB_CONTAINER,
        ACCESS_CONNECTOR,
        USER_ASSIGNED_IDENTITY,
        CATALOG,
        WORKSPACE_CONF,
        KEY_VAULT,
        KEY_VAULT_KEY,
        LOG_ANALYTICS_WORKSPACE,
    ],
)
def prod_protected(resource: Resource, trust: Trust) -> Iterator[str]:
    # A policy pack is told a resource's protect option but not its retain_on_delete
    # (pulumi_policy's PolicyResourceOptions): there a resource that is only retained fails,
    # so the estate protects what it keeps in Prod.
    if not trust.is_prod:
        return
    if resource.type == CATALOG and resource.get("forceDestroy") is True:
        yield "force_destroy is set on a Prod catalog: remove it"
    governed = resource.type != CATALOG or trust.is_governed(resource.get("name") or "")
    if governed and not (resource.protect or resource.retain_on_delete):
        yield "not protected in Prod: set protect=True (or retain_on_delete=True)"


@rule(
    "storage-account-hardened",
    "mandatory",
    "Storage accounts: HTTPS only, minimum TLS 1.2, no public blob access.",
    'set enable_https_traffic_only=True, minimum_tls_version="TLS1_2" and '
    "allow_blob_public_access=False",
    [STORAGE_ACCOUNT],
)
def storage_account_hardened(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("enableHttpsTrafficOnly") is not True:
        yield "HTTPS-only is not set: set enable_https_traffic_only=True"
    # TLS1_3 is in the enum, but "Minimum TLS version 1.3 version is not supported"
    # (pulumi_azure_native.storage.MinimumTlsVersion; Microsoft Learn, "Enforce a minimum
    # required version of TLS for requests to a storage account").
    if resource.get("minimumTlsVersion") != "TLS1_2":
        yield (
            f"minimum TLS is {resource.get('minimumTlsVersion') or 'unset'}: set "
            'minimum_tls_version="TLS1_2", the highest minimum Azure Storage accepts'
        )
    if resource.get("allowBlobPublicAccess") is not False:
        yield "public blob access is not disabled: set allow_blob_public_access=False"


@rule(
    "public-network-access-disabled",
    "advisory",
    "Workspaces disable public network access (private link).",
    'set public_network_access "Disabled" and reach the workspace through private link',
    [AZURE_WORKSPACE],
)
def public_network_access_disabled(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.get("publicNetworkAccess") != "Disabled":
        yield (
            'public network access is enabled: set public_network_access "Disabled" and '
            "reach the workspace through private link"
        )


@rule(
    "storage-account-private",
    "mandatory",
    "Storage accounts refuse shared keys and are not open to the internet (public network "
    "access disabled, or deny by default); no blob container is public.",
    'set allow_shared_key_access=False and public_network_access="Disabled" (or a network '
    'rule set with default_action "Deny"); containers public_access "None"',
    [STORAGE_ACCOUNT, BLOB_CONTAINER],
)
def storage_account_private(resource: Resource, _: Trust) -> Iterator[str]:
    if resource.type == BLOB_CONTAINER:
        access = resource.get("publicAccess")
        if access not in (None, "None"):
            yield f'the container is public ({access}): set public_access "None"'
        return
    if resource.get("allowSharedKeyAccess") is not False:
        yield (
            "shared key access is not disabled: anyone with an account key reads everything; "
            "set allow_shared_key_access=False"
        )
    if (
        resource.get("publicNetworkAccess") != "Disabled"
        and resource.get("networkRuleSet", "defaultAction") != "Deny"
    ):
        yield (
            "the account is reachable from any network: set public_network_access "
            '"Disabled", or a network rule set whose default action is "Deny"'
        )


@rule(
    "role-assignments-declared-principals",
    "mandatory",
    "Azure roles that write, reach data or manage identities go only to principals the stack "
    "declares (the deployer identity, the access connector, the platform runner); only Azure "
    "Databricks' own identities (the AzureDatabricks application the config names, the "
    "workspace's storage and disk encryption identities) use the estate's keys; no one in "
    "the stack gets a role that grants roles (Owner, User Access Administrator, Role Based "
    "Access Control Administrator), and no custom role is defined.",
    "assign roles only to the declared identities, and grant roles only outside the stack",
    [ROLE_ASSIGNMENT, ROLE_DEFINITION],
    scope="stack",
)
def role_assignments_declared_principals(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type == ROLE_DEFINITION:
        yield "defines a custom role, whose actions no rule reviews: use a built-in role"
        return
    role = role_definition_guid(str(resource.get("roleDefinitionId", default="")))
    if role in GRANTING_ROLES:
        yield (
            f"assigns the role {role}, which grants roles to others: the stack assigns none "
            "of those"
        )
        return
    if role in READ_ONLY_ROLES:
        return
    if role == KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER:
        yield from _key_user(resource, stack)
        return
    if KEY_VAULT_SCOPE in id_key(str(resource.get("scope", default=""))):
        yield from _key_officer(resource, role, stack)
        return
    if holds(resource, "principalId", stack.deployer_identity, "principalId") or holds(
        resource, "principalId", stack.access_connector, "identity", "principalId"
    ):
        return
    principal = resource.known("principalId")
    if principal is None:
        yield (
            f"assigns the role {role} to a principal left unknown that is not the deployer "
            "identity's or the access connector's: name a declared principal"
        )
        return
    declared = {
        stack.deployer_principal_id,
        stack.access_connector_principal_id,
        stack.trust.runner_object_id,
    }
    if principal not in declared:
        yield (
            f"assigns the role {role} to {principal!r}, a principal the stack does not "
            "declare: only the deployer identity, the access connector and the runner"
        )


@rule(
    "azure-resources-in-own-scope",
    "mandatory",
    "The estate's Azure resources live in the configured resource group and region, and its "
    "role assignments reach nothing outside that resource group.",
    "create Azure resources in azure.resource_group, in azure.location; scope role "
    "assignments to resources in it",
    [
        RESOURCE_GROUP,
        STORAGE_ACCOUNT,
        BLOB_CONTAINER,
        ACCESS_CONNECTOR,
        AZURE_WORKSPACE,
        USER_ASSIGNED_IDENTITY,
        FEDERATED_IDENTITY_CREDENTIAL,
        ROLE_ASSIGNMENT,
        KEY_VAULT,
        LOG_ANALYTICS_WORKSPACE,
        *AZURE_NETWORK_TYPES,
    ],
)
def azure_resources_in_own_scope(resource: Resource, trust: Trust) -> Iterator[str]:
    if resource.type == ROLE_ASSIGNMENT:
        yield from _role_scope_in_own_group(resource, trust)
        return
    key = "resourceGroupName"
    group = resource.known(key)
    if group is not None and group != trust.resource_group:
        yield f"lives in the resource group {group!r}, not the configured {trust.resource_group!r}"
    location = resource.known("location")
    if (
        location is not None
        and location != trust.location
        and not (resource.type in GLOBAL_TYPES and str(location).lower() == GLOBAL_LOCATION)
    ):
        yield f"lives in {location!r}, not the configured region {trust.location!r}"


def _role_scope_in_own_group(resource: Resource, trust: Trust) -> Iterator[str]:
    """A role assignment's scope is the resource group or a resource in it: a scope is an ARM
    id, and a role assigned at a scope applies to everything below it
    (https://learn.microsoft.com/azure/role-based-access-control/scope-overview)."""
    scope = str(resource.get("scope", default="")).rstrip("/").lower()
    if not in_resource_group(scope, trust.subscription_id, trust.resource_group):
        yield (
            f"assigns a role at the scope {scope or 'unset'!r}, outside the configured resource "
            f"group {trust.resource_group!r}: a role applies to everything below its scope"
        )


def _key_user(resource: Resource, stack: StackContext) -> Iterator[str]:
    """Wrapping and unwrapping the estate's keys: Azure Databricks' identities only, on a key
    of the configured vault."""
    trust, own = stack.trust, stack.own_workspace
    principal = resource.known("principalId")
    if not (
        (trust.azure_databricks_object_id and principal == trust.azure_databricks_object_id)
        or holds(resource, "principalId", own, "managedDiskIdentity", "principalId")
        or holds(resource, "principalId", own, "storageAccountIdentity", "principalId")
    ):
        yield (
            f"lets {resource.shown('principalId')} use the estate's keys: only Azure "
            "Databricks' identities "
            "(encryption.azure_databricks_object_id, the workspace's encryption identities)"
        )
    vault = id_key(f"/providers/Microsoft.KeyVault/vaults/{trust.key_vault}/keys") + "/"
    if not trust.key_vault or vault not in id_key(str(resource.get("scope", default=""))):
        yield f"the key role's scope is not a key of the Key Vault {trust.key_vault!r}"


def _key_officer(resource: Resource, role: str, stack: StackContext) -> Iterator[str]:
    """On the estate's vault, beside Azure Databricks' key use, only the runner manages keys."""
    trust = stack.trust
    if role != KEY_VAULT_CRYPTO_OFFICER or resource.known("principalId") != trust.runner_object_id:
        yield (
            f"assigns the role {role} on the Key Vault to {resource.shown('principalId')}: only "
            "the runner manages keys (Key Vault Crypto Officer), and only Azure Databricks' "
            "identities use them"
        )
