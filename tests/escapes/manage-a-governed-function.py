# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on function
# Caught: manage-only-platform on function
databricks.Grants("function", function=f"mlops_{pulumi.get_stack()}.churn_features.score",
    grants=[{"principal": "ml-engineers", "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
