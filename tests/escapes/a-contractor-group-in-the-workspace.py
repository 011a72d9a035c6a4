# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: workspace-access-declared on contractors
databricks.PermissionAssignment("contractors", group_name="contractors",
    permissions=["USER"], opts=opts)
