# Family: Catalogs, bindings, storage
# Stacks: prod
# Caught: development-catalog-uat-only on dev
# Caught: cross-environment-read-only on dev-home
c = databricks.Catalog("dev", name="mlops_dev", isolation_mode="ISOLATED",
    owner="ml-platform-admins", opts=pulumi.ResourceOptions(provider=environment.workspace_provider,
                                                            protect=True))
databricks.WorkspaceBinding("dev-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
