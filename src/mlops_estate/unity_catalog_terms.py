"""The Unity Catalog vocabulary the estate uses, taken from databricks-sdk's enums.

Taking every privilege, isolation mode and binding type from the SDK means a value the
real API would reject cannot reach a plan.
"""

from __future__ import annotations

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

# What a human may hold on a governed catalog or schema (rule governed-read-execute-only).
HUMAN_GOVERNED_PRIVILEGES: frozenset[str] = frozenset(p.value for p in (
    Privilege.BROWSE, Privilege.USE_CATALOG, Privilege.USE_SCHEMA, Privilege.SELECT,
    Privilege.EXECUTE, Privilege.READ_VOLUME))

# Privileges that let a principal change who can do what (rule manage-only-platform).
ADMINISTRATIVE_PRIVILEGES: frozenset[str] = frozenset(
    p.value for p in (Privilege.MANAGE, Privilege.ALL_PRIVILEGES))

# What data scientists may be given on the development catalog itself, beyond its schema.
DEVELOPMENT_CATALOG_PRIVILEGES: frozenset[str] = frozenset(
    p.value for p in (Privilege.USE_CATALOG, Privilege.CREATE_SCHEMA, Privilege.BROWSE))
