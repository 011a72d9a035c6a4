"""Azure terms: built-in roles, the token exchange of GitHub Actions federation."""

from __future__ import annotations

import re

# GitHub Actions OIDC, as Entra ID federation expects it.
# https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust
GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com"
ENTRA_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"


# The account console of Azure Databricks: the host of every account-level API call.
# https://learn.microsoft.com/en-us/azure/databricks/dev-tools/auth/#account-level-apis
AZURE_DATABRICKS_ACCOUNTS_HOST = "https://accounts.azuredatabricks.net"


# Every resource log of a resource, whatever categories it adds later: a category group
# ("Exactly one of category or category_group must be specified": azurerm
# monitor_diagnostic_setting; pulumi_azure_native DiagnosticsLogSettingsArgs.category_group).
ALL_LOGS = "allLogs"
# The blob service, whose logs (StorageRead, StorageWrite, StorageDelete) are diagnosed on "the
# resource ID of the Blob storage endpoint": <account id>/blobServices/default
# (https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage).
BLOB_SERVICE = "/blobServices/default"
# The key operations of the estate's keys: Azure Databricks' identities hold Key Vault Crypto
# Service Encryption User on them, whose only data actions are keys/read, keys/wrap/action and
# keys/unwrap/action (Learn, built-in roles: security), as the reference's access policies are
# Get, WrapKey and UnwrapKey (terraform-databricks-sra workspace/main.tf). Without key_ops a key
# permits them all: "If you do not specify this parameter, all operations can be performed"
# (Azure PowerShell, Add-AzKeyVaultKey -KeyOps).
KEY_OPERATIONS = ("wrapKey", "unwrapKey")


def id_key(arm_id: str) -> str:
    """The one spelling of an Azure resource id that all its spellings share.

    Case is folded, since "Resource and resource group names are case-insensitive unless
    specifically noted" and "Always perform a case-insensitive comparison of names" (Learn,
    "Naming rules and restrictions for Azure resources"; no resource the estate names is noted
    otherwise). Letters fold one to one to upper case: `str.lower` would take a look-alike such
    as the Kelvin sign for the letter k. Repeated and trailing slashes go: no segment is
    dropped, so a spelling with them is the same resource or one ARM refuses, never another
    resource, and a rule that refuses an id refuses each of its spellings.
    """
    collapsed = re.sub("/+", "/", arm_id).rstrip("/")
    if collapsed.isascii():
        return collapsed.upper()
    return "".join(upper if len(upper := c.upper()) == 1 else c for c in collapsed)


def same_id(left: object, right: object) -> bool:
    """Whether two values are ids (or names) of one Azure resource: both strings, one key, and
    not empty (an empty or all-slash value names nothing)."""
    if not isinstance(left, str) or not isinstance(right, str):
        return False
    key = id_key(left)
    return key != "" and key == id_key(right)


def github_subject(repository: str, environment: str) -> str:
    """The subject GitHub Actions puts in the OIDC token of a job bound to an environment."""
    return f"repo:{repository}:environment:{environment}"


# Built-in role definition ids (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles).
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
ROLE_BASED_ACCESS_CONTROL_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
# "Read metadata of keys and perform wrap/unwrap operations. Only works for key vaults that use
# the 'Azure role-based access control' permission model": the RBAC form of the Get, WrapKey
# and UnwrapKey access policy the reference architecture gives Azure Databricks' identities.
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
# "Perform any action on the keys of a key vault, except manage permissions": with RBAC
# authorization, creating keys through ARM needs the keys' data actions too
# (pulumi/pulumi-azure-native#890, ForbiddenByRbac); the runner holds it on the estate's vault.
KEY_VAULT_CRYPTO_OFFICER = "14b46e9e-c2b7-41b4-b07b-48a6ebf60603"

# Roles that let their holder grant roles to others: no principal of the stack holds one; the
# identity that runs `pulumi up` holds them outside the stack.
GRANTING_ROLES = frozenset(
    {OWNER, USER_ACCESS_ADMINISTRATOR, ROLE_BASED_ACCESS_CONTROL_ADMINISTRATOR}
)

# Roles that only read the control plane: anyone may hold them. Every other role (write,
# data, identity, or a custom role) is for the principals the stack declares.
READ_ONLY_ROLES = frozenset({READER})


def role_definition_id(subscription_id: str, role: str) -> str:
    """The ARM id of a built-in role definition, as a role assignment names it."""
    return (
        f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    )


def in_resource_group(arm_id: str, subscription_id: str, resource_group: str) -> bool:
    """Whether an ARM id is the resource group or a resource in it, however spelled (`id_key`;
    `.`, `..` and %-escapes have no place in an id, so they are refused)."""
    normalized = id_key(arm_id)
    group = id_key(f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}")
    segments = normalized.split("/")
    return (
        "%" not in normalized
        and not {".", ".."} & set(segments)
        and (normalized == group or normalized.startswith(group + "/"))
    )


def role_definition_guid(role_definition_id: str) -> str:
    """`/subscriptions/.../roleDefinitions/<guid>` -> `<guid>` (lowercase)."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


# The built-in roles above by name, as reports show them.
ROLE_NAMES = {
    READER: "Reader",
    OWNER: "Owner",
    CONTRIBUTOR: "Contributor",
    USER_ACCESS_ADMINISTRATOR: "User Access Administrator",
    ROLE_BASED_ACCESS_CONTROL_ADMINISTRATOR: "Role Based Access Control Administrator",
    STORAGE_BLOB_DATA_CONTRIBUTOR: "Storage Blob Data Contributor",
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: "Key Vault Crypto Service Encryption User",
    KEY_VAULT_CRYPTO_OFFICER: "Key Vault Crypto Officer",
}
