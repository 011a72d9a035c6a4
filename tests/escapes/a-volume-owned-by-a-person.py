# Family: Owners
# Stacks: uat, prod
# Caught: owner-is-not-a-person on personal
databricks.Volume("personal", catalog_name=f"mlops_{pulumi.get_stack()}",
    schema_name="churn_features", name="v", volume_type="MANAGED", owner="eve@contoso.com",
    opts=opts)
