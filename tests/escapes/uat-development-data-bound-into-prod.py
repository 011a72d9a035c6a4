# Family: Catalogs, bindings, storage
# Stacks: prod
# Caught: cross-environment-read-only on dev-into-prod
databricks.WorkspaceBinding("dev-into-prod", securable_name="mlops_dev",
    workspace_id=environment.workspace.workspace_id, binding_type="BINDING_TYPE_READ_ONLY",
    opts=opts)
