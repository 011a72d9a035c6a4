"""Pulumi type tokens of the resources the rules, the reports and the audit read."""

from __future__ import annotations

STACK = "pulumi:pulumi:Stack"
ESTATE_COMPONENTS = "mlops-estate:"  # the token prefix of the estate's own components


def _databricks(module: str, name: str) -> str:
    return f"databricks:index/{module}:{name}"


# Azure (azure-native).
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
AZURE_WORKSPACE = "azure-native:databricks:Workspace"
ACCESS_CONNECTOR = "azure-native:databricks:AccessConnector"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
ROLE_DEFINITION = "azure-native:authorization:RoleDefinition"
USER_ASSIGNED_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
FEDERATED_IDENTITY_CREDENTIAL = "azure-native:managedidentity:FederatedIdentityCredential"
KEY_VAULT_SECRET = "azure-native:keyvault:Secret"
KEY_VAULT = "azure-native:keyvault:Vault"
KEY_VAULT_KEY = "azure-native:keyvault:Key"
DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
LOG_ANALYTICS_WORKSPACE = "azure-native:operationalinsights:Workspace"

# Private networking (azure-native and the Databricks account).
VIRTUAL_NETWORK = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
NETWORK_SECURITY_GROUP = "azure-native:network:NetworkSecurityGroup"
SECURITY_RULE = "azure-native:network:SecurityRule"
NAT_GATEWAY = "azure-native:network:NatGateway"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
DNS_ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
PRIVATE_DNS_ZONE = "azure-native:privatedns:PrivateZone"
DNS_ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
STORAGE_PE_CONNECTION = "azure-native:storage:PrivateEndpointConnection"
NCC = _databricks("mwsNetworkConnectivityConfig", "MwsNetworkConnectivityConfig")
NCC_BINDING = _databricks("mwsNccBinding", "MwsNccBinding")
NCC_RULE = _databricks("mwsNccPrivateEndpointRule", "MwsNccPrivateEndpointRule")
ACCOUNT_NETWORK_POLICY = _databricks("accountNetworkPolicy", "AccountNetworkPolicy")
WORKSPACE_NETWORK_OPTION = _databricks("workspaceNetworkOption", "WorkspaceNetworkOption")
AZURE_NETWORK_TYPES = (
    VIRTUAL_NETWORK,
    SUBNET,
    NETWORK_SECURITY_GROUP,
    SECURITY_RULE,
    NAT_GATEWAY,
    PUBLIC_IP,
    PRIVATE_ENDPOINT,
    DNS_ZONE_GROUP,
    PRIVATE_DNS_ZONE,
    DNS_ZONE_LINK,
    STORAGE_PE_CONNECTION,
)
GLOBAL_TYPES = frozenset({PRIVATE_DNS_ZONE, DNS_ZONE_LINK})
"""Azure resources without a region: their location is "global"."""

# Unity Catalog (databricks).
CATALOG = _databricks("catalog", "Catalog")
SCHEMA = _databricks("schema", "Schema")
VOLUME = _databricks("volume", "Volume")
SQL_TABLE = _databricks("sqlTable", "SqlTable")
REGISTERED_MODEL = _databricks("registeredModel", "RegisteredModel")
SYSTEM_SCHEMA = _databricks("systemSchema", "SystemSchema")
GRANTS = _databricks("grants", "Grants")
GRANT = _databricks("grant", "Grant")
SQL_PERMISSIONS = _databricks("sqlPermissions", "SqlPermissions")
WORKSPACE_BINDING = _databricks("workspaceBinding", "WorkspaceBinding")
CATALOG_WORKSPACE_BINDING = _databricks("catalogWorkspaceBinding", "CatalogWorkspaceBinding")
STORAGE_CREDENTIAL = _databricks("storageCredential", "StorageCredential")
EXTERNAL_LOCATION = _databricks("externalLocation", "ExternalLocation")
CREDENTIAL = _databricks("credential", "Credential")
CONNECTION = _databricks("connection", "Connection")
METASTORE = _databricks("metastore", "Metastore")
METASTORE_DATA_ACCESS = _databricks("metastoreDataAccess", "MetastoreDataAccess")
METASTORE_ASSIGNMENT = _databricks("metastoreAssignment", "MetastoreAssignment")
SHARE = _databricks("share", "Share")
RECIPIENT = _databricks("recipient", "Recipient")

# Workspace objects (databricks).
PERMISSIONS = _databricks("permissions", "Permissions")
DIRECTORY = _databricks("directory", "Directory")
NOTEBOOK = _databricks("notebook", "Notebook")
WORKSPACE_FILE = _databricks("workspaceFile", "WorkspaceFile")
REPO = _databricks("repo", "Repo")
JOB = _databricks("job", "Job")
PIPELINE = _databricks("pipeline", "Pipeline")
WORKLOADS = frozenset({NOTEBOOK, WORKSPACE_FILE, REPO, JOB, PIPELINE})
"""Code and what runs it: CI/CD deploys them with bundles, never the estate stack."""
CLUSTER_POLICY = _databricks("clusterPolicy", "ClusterPolicy")
WORKSPACE_CONF = _databricks("workspaceConf", "WorkspaceConf")

# Identities and who may enter (databricks).
ENTITLEMENTS = _databricks("entitlements", "Entitlements")
GROUP = _databricks("group", "Group")
USER = _databricks("user", "User")
SERVICE_PRINCIPAL = _databricks("servicePrincipal", "ServicePrincipal")
GROUP_MEMBER = _databricks("groupMember", "GroupMember")
GROUP_ROLE = _databricks("groupRole", "GroupRole")
USER_ROLE = _databricks("userRole", "UserRole")
SERVICE_PRINCIPAL_ROLE = _databricks("servicePrincipalRole", "ServicePrincipalRole")
MWS_PERMISSION_ASSIGNMENT = _databricks("mwsPermissionAssignment", "MwsPermissionAssignment")
PERMISSION_ASSIGNMENT = _databricks("permissionAssignment", "PermissionAssignment")
ACCESS_CONTROL_RULE_SET = _databricks("accessControlRuleSet", "AccessControlRuleSet")
ACCOUNT_FEDERATION_POLICY = _databricks("accountFederationPolicy", "AccountFederationPolicy")
SERVICE_PRINCIPAL_FEDERATION_POLICY = _databricks(
    "servicePrincipalFederationPolicy", "ServicePrincipalFederationPolicy"
)

# Unity Catalog securables that have an owner, who holds every privilege on them.
OWNED_SECURABLES = (
    CATALOG,
    SCHEMA,
    VOLUME,
    SQL_TABLE,
    REGISTERED_MODEL,
    STORAGE_CREDENTIAL,
    EXTERNAL_LOCATION,
    CREDENTIAL,
    CONNECTION,
    SHARE,
    RECIPIENT,
)

# What creates or stores a long-lived secret.
SECRET_BEARING = frozenset(
    {
        _databricks("token", "Token"),
        _databricks("oboToken", "OboToken"),
        _databricks("servicePrincipalSecret", "ServicePrincipalSecret"),
        _databricks("secret", "Secret"),
        _databricks("gitCredential", "GitCredential"),
        KEY_VAULT_SECRET,
        "azuread:index/applicationPassword:ApplicationPassword",
        "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
    }
)

# Waits (pulumiverse-time) and the provider of their package, which holds no configuration.
SLEEP = "time:index/sleep:Sleep"
TIME_PROVIDER = "pulumi:providers:time"

# Providers.
DATABRICKS_PROVIDER = "pulumi:providers:databricks"
AZURE_NATIVE_PROVIDER = "pulumi:providers:azure-native"
PROVIDERS = frozenset({DATABRICKS_PROVIDER, AZURE_NATIVE_PROVIDER})


def short_name(type_token: str) -> str:
    """`databricks:index/token:Token` -> `Token`."""
    return type_token.rsplit(":", 1)[1]


def package_of(type_token: str) -> str:
    """`databricks:index/token:Token` -> `databricks`; `pulumi:providers:x` -> `pulumi`."""
    return type_token.split(":", 1)[0]
