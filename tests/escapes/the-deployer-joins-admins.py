# Family: Workspace admins, membership, rule sets, principals
# Stacks: prod
# Caught: group-membership-declared on deployer-admin
admins = databricks.get_group_output(display_name="admins", opts=pulumi.InvokeOptions(
    provider=environment.account_provider))
databricks.GroupMember("deployer-admin", group_id=admins.id,
    member_id=environment.deployer.service_principal_id, opts=account)
