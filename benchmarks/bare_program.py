"""The floor for plan_scaling.py: the UAT example estate's resources, registered directly.

The same resources with the same inputs and the same dependencies as the estate, written
flat with pulumi-azure-native and pulumi-databricks: no components, no validation, no access
model, no stack outputs.
"""

import pulumi
import pulumi_azure_native as azure_native
import pulumi_databricks as databricks
from pulumi_azure_native import authorization, managedidentity, resources, storage
from pulumi_azure_native import databricks as azure_databricks

projects = int(pulumi.Config("bench").require("projects"))
sub = "11111111-1111-4111-8111-111111111111"
tenant = "22222222-2222-4222-8222-222222222222"
vnet = f"/subscriptions/{sub}/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/v"
tags = {"environment": "uat", "managed-by": "mlops-estate", "cost-centre": "ml-platform"}
ds, mle, admins, auditors = (
    "ml-data-scientists",
    "ml-engineers",
    "ml-platform-admins",
    "ml-auditors",
)

azure = azure_native.Provider("azure", subscription_id=sub, tenant_id=tenant, location="westeurope")
on_azure = pulumi.ResourceOptions(provider=azure)
rg = resources.ResourceGroup(
    "rg", resource_group_name="rg-mlops-uat", location="westeurope", tags=tags, opts=on_azure
)
account = storage.StorageAccount(
    "storage",
    account_name="stmlopsuatcatalog",
    resource_group_name=rg.name,
    location="westeurope",
    kind="StorageV2",
    sku={"name": "Standard_ZRS"},
    is_hns_enabled=True,
    enable_https_traffic_only=True,
    minimum_tls_version="TLS1_2",
    allow_blob_public_access=False,
    allow_shared_key_access=False,
    default_to_o_auth_authentication=True,
    tags=tags,
    opts=on_azure,
)
container = storage.BlobContainer(
    "container",
    container_name="catalog",
    account_name=account.name,
    resource_group_name=rg.name,
    public_access="None",
    opts=on_azure,
)
connector = azure_databricks.AccessConnector(
    "connector",
    connector_name="ac-mlops-uat",
    resource_group_name=rg.name,
    location="westeurope",
    identity={"type": "SystemAssigned"},
    tags=tags,
    opts=on_azure,
)
authorization.RoleAssignment(
    "role",
    principal_id=connector.identity.apply(lambda i: i.principal_id),
    principal_type="ServicePrincipal",
    scope=account.id,
    description="Unity Catalog access connector writes the environment's managed catalog storage",
    role_definition_id=f"/subscriptions/{sub}/providers/Microsoft.Authorization/"
    "roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    opts=on_azure,
)
workspace = azure_databricks.Workspace(
    "workspace",
    workspace_name="dbw-mlops-uat",
    resource_group_name=rg.name,
    location="westeurope",
    sku={"name": "premium"},
    compute_mode="Hybrid",
    managed_resource_group_id=f"/subscriptions/{sub}/resourceGroups/rg-mlops-uat-databricks-managed",
    parameters={
        "enable_no_public_ip": {"value": True},
        "custom_virtual_network_id": {"value": vnet},
        "custom_public_subnet_name": {"value": "a"},
        "custom_private_subnet_name": {"value": "b"},
    },
    public_network_access="Disabled",
    required_nsg_rules="NoAzureDatabricksRules",
    tags=tags,
    opts=on_azure,
)
identity = managedidentity.UserAssignedIdentity(
    "identity",
    resource_name_="id-mlops-deployer-uat",
    resource_group_name=rg.name,
    location="westeurope",
    tags={"cost-centre": "ml-platform"},
    opts=on_azure,
)
managedidentity.FederatedIdentityCredential(
    "federation",
    federated_identity_credential_resource_name="github-0",
    resource_name_=identity.name,
    resource_group_name=rg.name,
    issuer="https://token.actions.githubusercontent.com",
    audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:environment:uat",
    opts=on_azure,
)

acct = databricks.Provider(
    "account",
    host="https://accounts.azuredatabricks.net",
    account_id="33333333-3333-4333-8333-333333333333",
    azure_tenant_id=tenant,
)
on_account = pulumi.ResourceOptions(provider=acct)
assignment = databricks.MetastoreAssignment(
    "assignment",
    metastore_id="44444444-4444-4444-8444-444444444444",
    workspace_id=workspace.workspace_id,
    opts=on_account,
)
sp = databricks.ServicePrincipal(
    "sp", application_id=identity.client_id, display_name="id-mlops-deployer-uat", opts=on_account
)
promoters = databricks.Group(
    "readers",
    display_name="ml-prod-model-promoters",
    workspace_access=False,
    databricks_sql_access=False,
    allow_cluster_create=False,
    allow_instance_pool_create=False,
    opts=on_account,
)

ws = databricks.Provider(
    "workspace",
    host=pulumi.Output.concat("https://", workspace.workspace_url),
    azure_workspace_resource_id=workspace.id,
    azure_tenant_id=tenant,
    opts=pulumi.ResourceOptions(depends_on=[assignment]),
)
on_ws = pulumi.ResourceOptions(provider=ws)
root = pulumi.Output.format("abfss://{0}@{1}.dfs.core.windows.net/", container.name, account.name)
credential = databricks.StorageCredential(
    "credential",
    name="uat_catalog_storage",
    isolation_mode="ISOLATION_MODE_ISOLATED",
    azure_managed_identity={"access_connector_id": connector.id},
    owner=admins,
    comment="Managed catalog storage of the uat environment",
    opts=on_ws,
)
location = databricks.ExternalLocation(
    "location",
    name="uat_catalog_root",
    credential_name=credential.name,
    url=root,
    isolation_mode="ISOLATION_MODE_ISOLATED",
    owner=admins,
    comment="Storage root of the uat catalogs",
    opts=on_ws,
)
for kind, securable in (("storage_credential", credential), ("external_location", location)):
    databricks.WorkspaceBinding(
        f"binding-{kind}",
        securable_type=kind,
        securable_name=securable.name,
        binding_type="BINDING_TYPE_READ_WRITE",
        workspace_id=workspace.workspace_id,
        opts=on_ws,
    )
databricks.Grants(
    "location-grants",
    external_location=location.name,
    grants=[{"principal": admins, "privileges": ["BROWSE"]}],
    opts=on_ws,
)


def catalog(name, owner, comment, grants):
    resource = databricks.Catalog(
        name,
        name=name,
        isolation_mode="ISOLATED",
        owner=owner,
        storage_root=pulumi.Output.concat(location.url, name),
        comment=comment,
        opts=on_ws,
    )
    databricks.WorkspaceBinding(
        f"{name}-binding",
        securable_type="catalog",
        securable_name=resource.name,
        workspace_id=workspace.workspace_id,
        binding_type="BINDING_TYPE_READ_WRITE",
        opts=on_ws,
    )
    databricks.Grants(f"{name}-grants", catalog=resource.name, grants=grants, opts=on_ws)
    return resource


def schema(parent, name, owner, comment, grants):
    resource = databricks.Schema(
        f"{name}-schema",
        catalog_name=parent.name,
        name=name,
        owner=owner,
        comment=comment,
        opts=on_ws,
    )
    databricks.Grants(
        f"{name}-grants",
        schema=pulumi.Output.concat(parent.name, ".", resource.name),
        grants=grants,
        opts=on_ws,
    )


read = ["USE_SCHEMA", "SELECT", "EXECUTE"]
readers = [{"principal": p, "privileges": read} for p in (ds, mle, admins)] + [
    {"principal": auditors, "privileges": ["BROWSE"]}
]
governed = catalog(
    "mlops_uat",
    sp.application_id,
    "Governed catalog: written only by CI/CD",
    [{"principal": p, "privileges": ["USE_CATALOG", "BROWSE"]} for p in (ds, mle, admins, auditors)]
    + [{"principal": promoters.display_name, "privileges": ["USE_CATALOG"]}],
)
for index in range(projects):
    project = f"p{index:04d}"
    schema(
        governed, f"{project}_features", sp.application_id, f"Feature tables of {project}", readers
    )
    schema(
        governed,
        f"{project}_models",
        sp.application_id,
        f"Registered models of {project}",
        [*readers, {"principal": promoters.display_name, "privileges": ["USE_SCHEMA", "EXECUTE"]}],
    )
development = catalog(
    "mlops_dev",
    admins,
    "Development catalog: feature prototypes, UAT only",
    [{"principal": ds, "privileges": ["USE_CATALOG"]}],
)
schema(
    development,
    "feature_development",
    admins,
    "Feature development: data scientists write and grant",
    [{"principal": ds, "privileges": ["ALL_PRIVILEGES", "MANAGE"]}],
)

# Workspace access, folders, settings and compute.
for role, group in (("ds", ds), ("mle", mle), ("admins", admins), ("auditors", auditors)):
    found = databricks.get_group_output(
        display_name=group, opts=pulumi.InvokeOptions(provider=acct)
    )
    databricks.MwsPermissionAssignment(
        f"assign-{role}",
        workspace_id=workspace.workspace_id,
        principal_id=found.id,
        permissions=["USER"],
        opts=on_account,
    )
    databricks.Entitlements(
        f"entitle-{role}",
        group_id=found.id,
        workspace_access=True,
        databricks_sql_access=role != "auditors",
        allow_cluster_create=False,
        allow_instance_pool_create=False,
        opts=on_ws,
    )
databricks.MwsPermissionAssignment(
    "assign-deployer",
    workspace_id=workspace.workspace_id,
    principal_id=sp.id,
    permissions=["USER"],
    opts=on_account,
)
databricks.Entitlements(
    "entitle-deployer",
    service_principal_id=sp.id,
    workspace_access=True,
    databricks_sql_access=False,
    allow_cluster_create=True,
    allow_instance_pool_create=False,
    opts=on_ws,
)
deployer_acl = {"service_principal_name": sp.application_id}
for path, levels in (
    ("/Deployments/mlops", ["CAN_RUN", "CAN_RUN", "CAN_READ", "CAN_READ"]),
    ("/PRValidation/mlops", ["CAN_READ"] * 4),
):
    directory = databricks.Directory(f"dir{path}", path=path, opts=on_ws)
    databricks.Permissions(
        f"acl{path}",
        directory_path=directory.path,
        access_controls=[{**deployer_acl, "permission_level": "CAN_MANAGE"}]
        + [
            {"group_name": g, "permission_level": level}
            for g, level in zip((ds, mle, admins, auditors), levels, strict=True)
        ],
        opts=on_ws,
    )
databricks.WorkspaceConf(
    "conf",
    custom_config={
        "enforceWorkspaceViewAcls": "true",
        "enforceClusterViewAcls": "true",
        "enableJobViewAcls": "true",
        "enableTokensConfig": "true",
        "maxTokenLifetimeDays": "90",
    },
    opts=on_ws,
)
databricks.Permissions(
    "tokens",
    authorization="tokens",
    access_controls=[{**deployer_acl, "permission_level": "CAN_USE"}],
    opts=on_ws,
)
jobs = databricks.ClusterPolicy(
    "jobs",
    name="mlops-uat-deployer-jobs",
    description="Job compute for CI/CD deployments",
    definition='{"cluster_type": {"type": "fixed", "value": "job"}}',
    opts=on_ws,
)
personal = databricks.ClusterPolicy(
    "personal",
    name="mlops-uat-personal-compute",
    policy_family_id="personal-vm",
    description="Single-node personal compute for development",
    opts=on_ws,
)
for policy, principal in ((jobs, deployer_acl), (personal, {"group_name": ds})):
    databricks.Permissions(
        f"{policy._name}-permissions",
        cluster_policy_id=policy.id,
        access_controls=[{**principal, "permission_level": "CAN_USE"}],
        opts=on_ws,
    )
