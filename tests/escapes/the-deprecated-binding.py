# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: no-deprecated-binding-resource on old
databricks.CatalogWorkspaceBinding("old", catalog_name="mlops_dev", workspace_id="1", opts=opts)
