# Family: Catalogs, bindings, storage
# Stacks: prod
# Caught: catalog-bound-to-own-workspace on prod-governed-catalog
# Caught: cross-environment-read-only on forged-binding
# The workspace id depends on the own workspace, but its value is another workspace's.
databricks.WorkspaceBinding("forged-binding", securable_name="mlops_prod",
    workspace_id=environment.workspace.workspace_id.apply(lambda _: "1234567890123456"),
    binding_type="BINDING_TYPE_READ_WRITE", opts=opts)
