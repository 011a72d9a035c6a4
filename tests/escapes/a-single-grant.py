# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: authoritative-grants-only on single
databricks.Grant("single", schema=f"mlops_{pulumi.get_stack()}.churn_models",
    principal="ml-engineers", privileges=["SELECT"], opts=opts)
