# Family: Owners
# Stacks: uat, prod
# Caught: owner-is-not-a-person on everyone
databricks.Schema("everyone", catalog_name=f"mlops_{pulumi.get_stack()}", name="x",
    owner="account users", opts=opts)
