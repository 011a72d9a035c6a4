# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: workspace-bindings-well-formed on capitals
databricks.WorkspaceBinding("capitals", securable_name=f"mlops_{pulumi.get_stack()}",
    securable_type="Catalog", workspace_id="1234567890123456",
    binding_type="BINDING_TYPE_READ_WRITE", opts=opts)
