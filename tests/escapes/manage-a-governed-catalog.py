# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on manage
# Caught: manage-only-platform on manage
# Caught: one-grants-per-securable on manage
# Caught: one-grants-per-securable on {stack}-governed-catalog-grants
databricks.Grants("manage", catalog=f"mlops_{pulumi.get_stack()}",
    grants=[{"principal": "ml-engineers", "privileges": ["MANAGE"]}], opts=opts)
