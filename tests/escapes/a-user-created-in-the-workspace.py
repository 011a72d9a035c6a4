# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: account-principals-declared on eve
databricks.User("eve", user_name="eve@contoso.com", opts=opts)
