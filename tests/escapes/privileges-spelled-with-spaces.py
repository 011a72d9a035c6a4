# Family: Unity Catalog grants on every securable type
# Stacks: uat
# Caught: manage-only-platform on dev-catalog-to-everyone
databricks.Grants("dev-catalog-to-everyone", catalog="mlops_dev",
    grants=[{"principal": "account users", "privileges": ["ALL PRIVILEGES", "manage"]}], opts=opts)
