# Family: Catalogs, bindings, storage
# Stacks: uat
# Caught: catalog-bound-to-own-workspace on uat-governed-catalog
# Caught: cross-environment-read-only on leak
databricks.WorkspaceBinding("leak", securable_name="mlops_uat", workspace_id="42", opts=opts)
