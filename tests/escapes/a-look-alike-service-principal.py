# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: service-principals-declared on uuid
# Caught: one-grants-per-securable on uuid
# Caught: one-grants-per-securable on {stack}-governed-catalog-grants
databricks.Grants("uuid", catalog=f"mlops_{pulumi.get_stack()}",
    grants=[{"principal": "12345678-1234-4123-8123-123456789abc",
             "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
