# Family: Catalogs, bindings, storage
# Stacks: prod
# Caught: catalog-isolated on open
# Caught: development-catalog-uat-only on open
# Caught: cross-environment-read-only on open-home
c = databricks.Catalog("open", name="open_cat", isolation_mode="OPEN",
    owner="ml-platform-admins",
    opts=pulumi.ResourceOptions(provider=environment.workspace_provider, protect=True))
databricks.WorkspaceBinding("open-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
