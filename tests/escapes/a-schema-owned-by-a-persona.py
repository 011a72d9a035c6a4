# Family: Owners
# Stacks: uat, prod
# Caught: owners-are-platform-principals on engineers
databricks.Schema("engineers", catalog_name=f"mlops_{pulumi.get_stack()}", name="y",
    owner="ml-engineers", opts=opts)
