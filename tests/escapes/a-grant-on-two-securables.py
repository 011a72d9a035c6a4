# Family: Unity Catalog grants on every securable type
# Stacks: uat
# Caught: one-securable-per-grant on two-keys
# Caught: one-grants-per-securable on two-keys
# Caught: one-grants-per-securable on uat-development-catalog-grants
databricks.Grants("two-keys", catalog="mlops_dev", schema="mlops_uat.churn_models",
    grants=[{"principal": "ml-engineers", "privileges": ["MODIFY", "CREATE_TABLE", "USE_SCHEMA"]}],
    opts=opts)
