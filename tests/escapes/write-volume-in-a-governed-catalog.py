# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: governed-read-execute-only on volume
databricks.Grants("volume", volume=f"mlops_{pulumi.get_stack()}.churn_features.raw",
    grants=[{"principal": "ml-auditors", "privileges": ["WRITE_VOLUME"]}], opts=opts)
