"""The Unity Catalog vocabulary the estate uses, taken from databricks-sdk's enums.

Taking every privilege, isolation mode and binding type from the SDK means a value the
real API would reject cannot reach a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
