# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on sp-service-credential
# Caught: storage-of-own-environment on sp-service-credential
service_credential = databricks.Credential("sp-service-credential", name="sp_service",
    purpose="SERVICE", azure_service_principal={
        "application_id": "00000000-0000-0000-0000-000000000001",
        "directory_id": "00000000-0000-0000-0000-000000000002", "client_secret": "hunter2"},
    isolation_mode="ISOLATION_MODE_ISOLATED", owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("sp-service-credential-home", securable_type="credential",
    securable_name=service_credential.name, workspace_id=environment.workspace.workspace_id,
    opts=opts)
