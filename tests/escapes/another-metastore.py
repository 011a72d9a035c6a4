# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: metastore-assignment-own on other-metastore
databricks.MetastoreAssignment("other-metastore",
    metastore_id="55555555-5555-4555-8555-555555555555",
    workspace_id=environment.workspace.workspace_id, opts=account)
