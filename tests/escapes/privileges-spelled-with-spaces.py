# Family: Unity Catalog grants on every securable type
# Stacks: uat
# Caught: manage-only-platform on dev-catalog-to-everyone
# Caught: one-grants-per-securable on dev-catalog-to-everyone
# Caught: one-grants-per-securable on uat-development-catalog-grants
databricks.Grants("dev-catalog-to-everyone", catalog="mlops_dev",
    grants=[{"principal": "account users", "privileges": ["ALL PRIVILEGES", "manage"]}], opts=opts)
