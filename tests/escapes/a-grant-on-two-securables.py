# Family: Unity Catalog grants on every securable type
# Stacks: uat
# Caught: one-securable-per-grant on two-keys
databricks.Grants("two-keys", catalog="mlops_dev", schema="mlops_uat.churn_models",
    grants=[{"principal": "ml-engineers", "privileges": ["MODIFY", "CREATE_TABLE", "USE_SCHEMA"]}],
    opts=opts)
