# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: storage-of-own-environment on borrowed
# Caught: storage-of-own-environment on borrowed-service
other = {"uat": ("55555555-5555-4555-8555-555555555555", "prod"),
         "prod": ("11111111-1111-4111-8111-111111111111", "uat")}[pulumi.get_stack()]
connector = (f"/subscriptions/{other[0]}/resourceGroups/rg-mlops-{other[1]}/providers/"
             f"Microsoft.Databricks/accessConnectors/ac-mlops-{other[1]}")
cred = databricks.StorageCredential("borrowed", name="borrowed",
    azure_managed_identity={"access_connector_id": connector},
    isolation_mode="ISOLATION_MODE_ISOLATED", owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("borrowed-home", securable_type="storage_credential",
    securable_name=cred.name, workspace_id=environment.workspace.workspace_id, opts=opts)
service = databricks.Credential("borrowed-service", name="borrowed_service", purpose="SERVICE",
    azure_managed_identity={"access_connector_id": connector},
    isolation_mode="ISOLATION_MODE_ISOLATED", owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("borrowed-service-home", securable_type="credential",
    securable_name=service.name, workspace_id=environment.workspace.workspace_id, opts=opts)
