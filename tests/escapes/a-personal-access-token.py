# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on pat
databricks.Token("pat", lifetime_seconds=3600, opts=opts)
