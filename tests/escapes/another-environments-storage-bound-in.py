# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: storage-isolated on other-credential-in
# Caught: storage-isolated on other-location-in
other = {"uat": "prod", "prod": "uat"}[pulumi.get_stack()]
databricks.WorkspaceBinding("other-credential-in", securable_type="storage_credential",
    securable_name=f"{other}_catalog_storage", workspace_id=environment.workspace.workspace_id,
    opts=opts)
databricks.WorkspaceBinding("other-location-in", securable_type="external_location",
    securable_name=f"{other}_catalog_root", workspace_id=environment.workspace.workspace_id,
    opts=opts)
