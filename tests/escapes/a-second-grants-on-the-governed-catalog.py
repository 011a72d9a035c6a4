# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: one-grants-per-securable on second-catalog-grants
# Caught: one-grants-per-securable on {stack}-governed-catalog-grants
# Applied last, it revokes what the estate's own Grants gives the deployer and the personas.
databricks.Grants("second-catalog-grants", catalog=f"MLOPS_{pulumi.get_stack().upper()}",
    grants=[{"principal": "ml-platform-admins", "privileges": ["USE_CATALOG"]}], opts=opts)
