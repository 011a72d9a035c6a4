# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: storage-isolated on svc
databricks.Credential("svc", name="svc_storage", purpose="SERVICE",
    azure_managed_identity={"access_connector_id": environment.storage_account.access_connector_id},
    owner="ml-platform-admins", opts=opts)
