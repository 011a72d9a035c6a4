# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on stored
databricks.Secret("stored", scope="x", key="k", string_value="hunter2", opts=opts)
