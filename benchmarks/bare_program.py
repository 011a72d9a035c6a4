"""The floor for plan_scaling.py: the resources of the UAT estate, registered directly.

No components, no validation, no access model: literal inputs, one resource after another.
"""

import pulumi
import pulumi_azure_native as azure_native
import pulumi_databricks as databricks
from pulumi_azure_native import authorization, managedidentity, resources, storage
from pulumi_azure_native import databricks as azure_databricks

projects = int(pulumi.Config("bench").require("projects"))
sub = "11111111-1111-4111-8111-111111111111"
groups = ["ml-data-scientists", "ml-engineers", "ml-platform-admins", "ml-auditors"]

azure = azure_native.Provider("azure", subscription_id=sub, location="westeurope")
on_azure = pulumi.ResourceOptions(provider=azure)
rg = resources.ResourceGroup("rg", resource_group_name="rg-mlops-uat", opts=on_azure)
account = storage.StorageAccount(
    "storage", account_name="stmlopsuatcatalog", resource_group_name=rg.name,
    kind="StorageV2", sku={"name": "Standard_ZRS"}, is_hns_enabled=True,
    enable_https_traffic_only=True, minimum_tls_version="TLS1_2",
    allow_blob_public_access=False, opts=on_azure)
storage.BlobContainer("container", container_name="catalog", account_name=account.name,
                      resource_group_name=rg.name, opts=on_azure)
connector = azure_databricks.AccessConnector(
    "connector", connector_name="ac-mlops-uat", resource_group_name=rg.name,
    identity={"type": "SystemAssigned"}, opts=on_azure)
authorization.RoleAssignment(
    "role", principal_id=connector.identity.apply(lambda i: i.principal_id),
    principal_type="ServicePrincipal", scope=account.id,
    role_definition_id="ba92f5b4-2d11-453d-a403-e96b0029c9fe", opts=on_azure)
workspace = azure_databricks.Workspace(
    "workspace", workspace_name="dbw-mlops-uat", resource_group_name=rg.name,
    sku={"name": "premium"}, managed_resource_group_id="/subscriptions/x/resourceGroups/m",
    parameters={"enable_no_public_ip": {"value": True}}, opts=on_azure)
identity = managedidentity.UserAssignedIdentity(
    "identity", resource_name_="id-mlops-deployer-uat", resource_group_name=rg.name,
    opts=on_azure)
managedidentity.FederatedIdentityCredential(
    "federation", resource_name_=identity.name, resource_group_name=rg.name,
    issuer="https://token.actions.githubusercontent.com", audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:environment:uat", opts=on_azure)

acct = databricks.Provider("account", host="https://accounts.azuredatabricks.net")
on_account = pulumi.ResourceOptions(provider=acct)
assignment = databricks.MetastoreAssignment(
    "assignment", metastore_id="44444444-4444-4444-8444-444444444444",
    workspace_id=workspace.workspace_id, opts=on_account)
sp = databricks.ServicePrincipal("sp", application_id=identity.client_id, opts=on_account)
databricks.Group("readers", display_name="ml-prod-model-promoters", opts=on_account)

ws = databricks.Provider("workspace", host=workspace.workspace_url,
                         opts=pulumi.ResourceOptions(depends_on=[assignment]))
on_ws = pulumi.ResourceOptions(provider=ws)
credential = databricks.StorageCredential(
    "credential", name="uat_catalog_storage", isolation_mode="ISOLATION_MODE_ISOLATED",
    azure_managed_identity={"access_connector_id": connector.id}, opts=on_ws)
location = databricks.ExternalLocation(
    "location", name="uat_catalog_root", credential_name=credential.name,
    url="abfss://catalog@stmlopsuatcatalog.dfs.core.windows.net/",
    isolation_mode="ISOLATION_MODE_ISOLATED", opts=on_ws)
for kind, name in (("storage_credential", "uat_catalog_storage"),
                   ("external_location", "uat_catalog_root")):
    databricks.WorkspaceBinding(f"binding-{kind}", securable_type=kind, securable_name=name,
                                workspace_id=workspace.workspace_id, opts=on_ws)
databricks.Grants("location-grants", external_location=location.name,
                  grants=[{"principal": groups[2], "privileges": ["BROWSE"]}], opts=on_ws)

catalogs = {}
for catalog_name, owner in (("mlops_uat", sp.application_id), ("mlops_dev", groups[2])):
    catalog = databricks.Catalog(catalog_name, name=catalog_name, isolation_mode="ISOLATED",
                                 owner=owner, storage_root=pulumi.Output.concat(location.url,
                                                                                catalog_name),
                                 opts=on_ws)
    databricks.WorkspaceBinding(f"{catalog_name}-binding", securable_name=catalog.name,
                                workspace_id=workspace.workspace_id, opts=on_ws)
    databricks.Grants(f"{catalog_name}-grants", catalog=catalog.name,
                      grants=[{"principal": g, "privileges": ["USE_CATALOG"]} for g in groups],
                      opts=on_ws)
    catalogs[catalog_name] = catalog

# Each schema and its grants depend on the catalog and schema, as a real program must.
schemas = [("mlops_dev", "feature_development")] + [
    ("mlops_uat", f"p{index:04d}_{kind}") for index in range(projects)
    for kind in ("features", "models")]
for catalog_name, schema_name in schemas:
    catalog = catalogs[catalog_name]
    schema = databricks.Schema(f"{catalog_name}-{schema_name}", catalog_name=catalog.name,
                               name=schema_name, owner=sp.application_id, opts=on_ws)
    databricks.Grants(f"{catalog_name}-{schema_name}-grants",
                      schema=pulumi.Output.concat(catalog.name, ".", schema.name),
                      grants=[{"principal": g, "privileges": ["USE_SCHEMA", "SELECT"]}
                              for g in groups], opts=on_ws)
