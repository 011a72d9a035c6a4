# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: group-membership-declared on join-admins
admins = databricks.get_group_output(display_name="admins", opts=pulumi.InvokeOptions(
    provider=environment.workspace_provider))
databricks.GroupMember("join-admins", group_id=admins.id, member_id="1234", opts=opts)
