# Family: Catalogs, bindings, storage
# Stacks: prod
# Caught: cross-environment-read-only on prod-out
databricks.WorkspaceBinding("prod-out", securable_name="mlops_prod", workspace_id="42",
    binding_type="BINDING_TYPE_READ_ONLY", opts=opts)
