"""Pulumi type tokens of the resources the rules, the reports and the audit read."""

from __future__ import annotations

STACK = "pulumi:pulumi:Stack"

# Azure (azure-native).
AZURE_WORKSPACE = "azure-native:databricks:Workspace"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"

# Unity Catalog (databricks).
CATALOG = "databricks:index/catalog:Catalog"
SCHEMA = "databricks:index/schema:Schema"
GRANTS = "databricks:index/grants:Grants"
GRANT = "databricks:index/grant:Grant"
SQL_PERMISSIONS = "databricks:index/sqlPermissions:SqlPermissions"
WORKSPACE_BINDING = "databricks:index/workspaceBinding:WorkspaceBinding"
CATALOG_WORKSPACE_BINDING = "databricks:index/catalogWorkspaceBinding:CatalogWorkspaceBinding"
STORAGE_CREDENTIAL = "databricks:index/storageCredential:StorageCredential"
EXTERNAL_LOCATION = "databricks:index/externalLocation:ExternalLocation"
REGISTERED_MODEL = "databricks:index/registeredModel:RegisteredModel"

# Workspace objects and identities (databricks).
PERMISSIONS = "databricks:index/permissions:Permissions"
DIRECTORY = "databricks:index/directory:Directory"
NOTEBOOK = "databricks:index/notebook:Notebook"
WORKSPACE_FILE = "databricks:index/workspaceFile:WorkspaceFile"
JOB = "databricks:index/job:Job"
PIPELINE = "databricks:index/pipeline:Pipeline"
ENTITLEMENTS = "databricks:index/entitlements:Entitlements"
GROUP = "databricks:index/group:Group"
USER = "databricks:index/user:User"
SERVICE_PRINCIPAL = "databricks:index/servicePrincipal:ServicePrincipal"

# Long-lived secrets.
SECRET_BEARING = frozenset(
    {
        "databricks:index/token:Token",
        "databricks:index/oboToken:OboToken",
        "databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
        "azuread:index/applicationPassword:ApplicationPassword",
        "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
    }
)

# Providers.
DATABRICKS_PROVIDER = "pulumi:providers:databricks"
AZURE_NATIVE_PROVIDER = "pulumi:providers:azure-native"
PROVIDERS = frozenset({DATABRICKS_PROVIDER, AZURE_NATIVE_PROVIDER})


def short_name(type_token: str) -> str:
    """`databricks:index/token:Token` -> `Token`."""
    return type_token.rsplit(":", 1)[1]
