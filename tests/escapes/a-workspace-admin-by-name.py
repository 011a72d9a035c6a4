# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: no-workspace-admins on admin-by-name
databricks.PermissionAssignment("admin-by-name", group_name="ml-engineers",
    permissions=["ADMIN"], opts=opts)
