# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: evidence-catalog-readers-only on deployer-evidence
# Caught: one-grants-per-securable on deployer-evidence
# Caught: one-grants-per-securable on {stack}-audit-evidence-catalog-grants
databricks.Grants("deployer-evidence", catalog=f"mlops_{pulumi.get_stack()}_evidence",
    grants=[{"principal": environment.deployer.application_id,
             "privileges": ["USE_CATALOG", "CREATE_SCHEMA"]}], opts=opts)
