# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on sp-credential
# Caught: storage-of-own-environment on sp-credential
sp_credential = databricks.StorageCredential("sp-credential", name="sp_credential",
    azure_service_principal={"application_id": "00000000-0000-0000-0000-000000000001",
        "directory_id": "00000000-0000-0000-0000-000000000002", "client_secret": "hunter2"},
    isolation_mode="ISOLATION_MODE_ISOLATED", owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("sp-credential-home", securable_type="storage_credential",
    securable_name=sp_credential.name, workspace_id=environment.workspace.workspace_id, opts=opts)
