# Family: Catalogs, bindings, storage
# Stacks: uat
# Caught: catalog-isolated on open
# Caught: cross-environment-read-only on open-home
c = databricks.Catalog("open", name="open_cat", isolation_mode="OPEN",
    owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("open-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
