# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: storage-isolated on open-location
loc = databricks.ExternalLocation("open-location", name="open_loc", url=f"abfss://catalog@stmlops{pulumi.get_stack()}catalog.dfs.core.windows.net/open",
    credential_name=f"{pulumi.get_stack()}_catalog_storage", isolation_mode="ISOLATION_MODE_OPEN",
    owner="ml-platform-admins", opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
        depends_on=[environment.storage_account.storage_access_ready])))
databricks.WorkspaceBinding("open-location-home", securable_type="external_location",
    securable_name=loc.name, workspace_id=environment.workspace.workspace_id, opts=opts)
