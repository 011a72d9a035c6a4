# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: metastore-securables-platform-only on allowlist-for-the-deployer
databricks.Grants("allowlist-for-the-deployer", metastore=environment.config.databricks.metastore_id,
    grants=[{"principal": environment.deployer.application_id, "privileges": ["MANAGE_ALLOWLIST"]}],
    opts=opts)
