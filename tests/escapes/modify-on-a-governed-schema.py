# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on modify
# Caught: one-grants-per-securable on modify
# Caught: one-grants-per-securable on {stack}-governed-churn-models-grants
databricks.Grants("modify", schema=f"mlops_{pulumi.get_stack()}.churn_models",
    grants=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)
