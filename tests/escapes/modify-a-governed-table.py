# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on table
databricks.Grants("table", table=f"mlops_{pulumi.get_stack()}.churn_features.customers",
    grants=[{"principal": "ml-data-scientists", "privileges": ["MODIFY"]}], opts=opts)
