# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on sealed-grants
# Caught: one-grants-per-securable on sealed-grants
# Caught: one-grants-per-securable on {stack}-governed-churn-models-grants
# A secret input is sealed in what the program sends; the engine shows a policy its value.
databricks.Grants("sealed-grants", schema=f"mlops_{pulumi.get_stack()}.churn_models",
    grants=pulumi.Output.secret([{"principal": "ml-engineers", "privileges": ["MODIFY"]}]),
    opts=opts)
