"""The Unity Catalog vocabulary the estate uses, taken from databricks-sdk's enums.

Taking every privilege, isolation mode and binding type from the SDK means a value the
real API would reject cannot reach a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from databricks.sdk.service.catalog import (
    CatalogIsolationMode,
    IsolationMode,
    Privilege,
    WorkspaceBindingBindingType,
)

PRIVILEGES: frozenset[str] = frozenset(privilege.value for privilege in Privilege)

CATALOG_ISOLATED = CatalogIsolationMode.ISOLATED.value
STORAGE_ISOLATED = IsolationMode.ISOLATION_MODE_ISOLATED.value
READ_WRITE = WorkspaceBindingBindingType.BINDING_TYPE_READ_WRITE.value
READ_ONLY = WorkspaceBindingBindingType.BINDING_TYPE_READ_ONLY.value

# The securables the estate itself declares, as the Grants and bindings APIs name them.
# The metastore's catalog of system tables, shared by every team: nothing in it is the
# estate's, so the estate's grants there are additive (databricks.Grant).
SYSTEM_CATALOG = "system"
# The estate's views of the system catalog's audit table, in its evidence schema: the only
# views that may read the system catalog (rule system-tables-only-through-evidence-views).
EVIDENCE_VIEWS = ("audit_events", "permission_changes")

SecurableType = Literal["catalog", "schema", "external_location", "storage_credential"]

# Every property of `databricks.Grants` / `databricks.Grant` that names the securable granted
# on, as the policy engine sees it (camelCase), mapped to the securable type it names.
SECURABLE_KEYS: dict[str, str] = {
    "catalog": "catalog",
    "schema": "schema",
    "table": "table",
    "volume": "volume",
    "model": "registered_model",
    "function": "function",
    "externalLocation": "external_location",
    "storageCredential": "storage_credential",
    "credential": "credential",
    "metastore": "metastore",
    "share": "share",
    "recipient": "recipient",
    "foreignConnection": "connection",
    "pipeline": "pipeline",
    "secret": "secret",
    "mcpService": "mcp_service",
    "modelService": "model_service",
    "modelProviderService": "model_provider_service",
}

# Securables that reach cloud storage outside any catalog, and that a workspace binding names
# (WorkspaceBinding `securable_type`: "Can be `catalog`, `external_location`,
# `storage_credential` or `credential`", pulumi_databricks/workspace_binding.py).
STORAGE_SECURABLE_TYPES = frozenset({"storage_credential", "external_location", "credential"})


class CatalogStorageNames(NamedTuple):
    """What Unity Catalog calls an environment's catalog storage."""

    credential: str
    """The storage credential on the environment's access connector."""
    location: str
    """The external location of the environment's catalog storage root."""

    @property
    def securables(self) -> frozenset[tuple[str, str]]:
        """(securable type, name), as a workspace binding names them."""
        return frozenset(
            {("storage_credential", self.credential), ("external_location", self.location)}
        )


def catalog_storage_names(environment: str) -> CatalogStorageNames:
    """The names of an environment's storage credential and external location: the component
    that declares them and the rules that tell one environment's from another's both use it."""
    return CatalogStorageNames(f"{environment}_catalog_storage", f"{environment}_catalog_root")


# ADLS Gen2, as Unity Catalog reaches it: `abfss://[user]@[host]/[path]` (ExternalLocation
# `url`, pulumi_databricks/external_location.py), the host being the account's Data Lake
# Storage endpoint, `<account>.dfs.core.windows.net`
# (https://learn.microsoft.com/azure/storage/blobs/data-lake-storage-introduction-abfs-uri).
ADLS_SCHEME = "abfss"
ADLS_HOST_SUFFIX = ".dfs.core.windows.net"
# "Storage account names must be between 3 and 24 characters in length and may contain numbers
# and lowercase letters only" (https://learn.microsoft.com/azure/storage/common/storage-account-overview).
_STORAGE_ACCOUNT_NAME = re.compile(r"[a-z0-9]{3,24}")


def storage_account_of(url: str) -> str | None:
    """The storage account an `abfss://container@account.dfs.core.windows.net/...` URL lies
    in (lower case, as Azure names accounts), or None for any other URL."""
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # a malformed port raises ValueError
    except ValueError:
        return None
    if parts.scheme.lower() != ADLS_SCHEME or not host or not host.endswith(ADLS_HOST_SUFFIX):
        return None
    account = host.removesuffix(ADLS_HOST_SUFFIX)
    return account if _STORAGE_ACCOUNT_NAME.fullmatch(account) else None


def normalized_name(name: str) -> str:
    """A Unity Catalog name or SQL text as Unity Catalog compares names: without backquotes,
    in lower case ("Unity Catalog ... names are case-insensitive": Learn, "Names")."""
    return name.replace("`", "").lower()


def normalize_privilege(privilege: str) -> str:
    """A privilege as Unity Catalog stores it: it accepts spaces and any case, and converts
    them ("Unity Catalog accepts privileges with spaces, but will automatically convert them to
    underscores": terraform-provider-databricks catalog/permissions/permissions.go,
    `NormalizePrivilege`, which also upper-cases). Compare privileges only in this form."""
    return privilege.upper().replace(" ", "_")


def normalize_privileges(privileges: list[str]) -> list[str]:
    return [normalize_privilege(str(privilege)) for privilege in privileges]


# Securables that live in a catalog: their full names start with the catalog's.
CATALOG_SECURABLE_TYPES = frozenset(
    {"catalog", "schema", "table", "volume", "function", "registered_model"}
)

# Principals that stand for every user of the workspace or the account: never an owner.
ALL_USERS_PRINCIPALS = frozenset({"users", "account users"})

# What a human may hold on a governed catalog or schema (rule governed-read-execute-only).
HUMAN_GOVERNED_PRIVILEGES: frozenset[str] = frozenset(
    p.value
    for p in (
        Privilege.BROWSE,
        Privilege.USE_CATALOG,
        Privilege.USE_SCHEMA,
        Privilege.SELECT,
        Privilege.EXECUTE,
        Privilege.READ_VOLUME,
    )
)

# Privileges that let a principal change who can do what (rule manage-only-platform).
ADMINISTRATIVE_PRIVILEGES: frozenset[str] = frozenset(
    p.value for p in (Privilege.MANAGE, Privilege.ALL_PRIVILEGES)
)

# What data scientists may be given on the development catalog itself, beyond its schema.
DEVELOPMENT_CATALOG_PRIVILEGES: frozenset[str] = frozenset(
    p.value for p in (Privilege.USE_CATALOG, Privilege.CREATE_SCHEMA, Privilege.BROWSE)
)


# The privileges each securable type accepts, as Unity Catalog documents them ("What privileges
# apply to each securable object?",
# https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges/privileges,
# and terraform-provider-databricks docs/resources/grants.md, which tracks it). A catalog or a
# schema also accepts the privileges its children inherit from it. BROWSE is documented on
# catalogs only (databrickslabs/ucx#2022: "UC only support BROWSE privilege on catalog object").
_SCHEMA = (
    "ALL_PRIVILEGES APPLY_TAG CREATE_FUNCTION CREATE_MATERIALIZED_VIEW CREATE_MODEL CREATE_TABLE "
    "CREATE_VOLUME MANAGE USE_SCHEMA EXECUTE MODIFY REFRESH SELECT READ_VOLUME WRITE_VOLUME"
)
PRIVILEGES_BY_SECURABLE: dict[str, frozenset[str]] = {
    securable: frozenset(privileges.split())
    for securable, privileges in {
        "catalog": f"{_SCHEMA} BROWSE CREATE_SCHEMA USE_CATALOG",
        "schema": _SCHEMA,
        "table": "ALL_PRIVILEGES APPLY_TAG MANAGE SELECT MODIFY",
        "volume": "ALL_PRIVILEGES APPLY_TAG MANAGE READ_VOLUME WRITE_VOLUME",
        "function": "ALL_PRIVILEGES EXECUTE MANAGE",
        "registered_model": "ALL_PRIVILEGES APPLY_TAG EXECUTE MANAGE",
        "storage_credential": "ALL_PRIVILEGES CREATE_EXTERNAL_LOCATION CREATE_EXTERNAL_TABLE "
        "MANAGE READ_FILES WRITE_FILES",
        "external_location": "ALL_PRIVILEGES CREATE_EXTERNAL_TABLE CREATE_EXTERNAL_VOLUME "
        "CREATE_MANAGED_STORAGE MANAGE READ_FILES WRITE_FILES",
        "metastore": "CREATE_CATALOG CREATE_CLEAN_ROOM CREATE_CONNECTION "
        "CREATE_EXTERNAL_LOCATION CREATE_PROVIDER CREATE_RECIPIENT CREATE_SERVICE_CREDENTIAL "
        "CREATE_SHARE CREATE_STORAGE_CREDENTIAL MANAGE_ALLOWLIST SET_SHARE_PERMISSION "
        "USE_MARKETPLACE_ASSETS USE_PROVIDER USE_RECIPIENT USE_SHARE",
    }.items()
}


def invalid_privileges(securable_type: str, privileges: list[str]) -> list[str]:
    """The privileges Unity Catalog does not accept on that securable type; [] for a type
    the table above does not cover."""
    accepted = PRIVILEGES_BY_SECURABLE.get(securable_type)
    return [] if accepted is None else [p for p in privileges if p not in accepted]


@dataclass(frozen=True, order=True)
class Binding:
    """A workspace binding of a securable: which workspace may reach it, and how.

    `workspace_id` is the workspace's numeric id as a string; inside a component, before the
    workspace exists, it is the Pulumi output that will hold it.
    """

    securable_type: str
    securable: str
    workspace_id: Any
    binding_type: str
