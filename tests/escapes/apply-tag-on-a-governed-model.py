# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on model
databricks.Grants("model", model=f"mlops_{pulumi.get_stack()}.churn_models.churn",
    grants=[{"principal": "ml-engineers", "privileges": ["APPLY_TAG"]}], opts=opts)
