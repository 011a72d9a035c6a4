# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: no-workspace-admins on account-admin
databricks.GroupRole("account-admin", group_id="1234", role="account_admin", opts=account)
