# Family: Catalogs, bindings, storage
# Stacks: uat
# Caught: cross-environment-read-only on prod-into-uat
databricks.Catalog("decoy", name="mlops_prod", isolation_mode="ISOLATED",
    owner="ml-platform-admins", opts=pulumi.ResourceOptions(provider=environment.workspace_provider,
        import_="mlops_prod", ignore_changes=["owner", "comment", "storageRoot", "properties"]))
databricks.WorkspaceBinding("prod-into-uat", securable_name="mlops_prod",
    workspace_id=environment.workspace.workspace_id,
    binding_type="BINDING_TYPE_READ_WRITE", opts=opts)
