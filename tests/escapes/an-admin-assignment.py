# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: no-workspace-admins on admin
databricks.MwsPermissionAssignment("admin", workspace_id=environment.workspace.workspace_id,
    principal_id=databricks.get_group_output(display_name="ml-engineers",
        opts=pulumi.InvokeOptions(provider=environment.account_provider)).id,
    permissions=["ADMIN"], opts=pulumi.ResourceOptions.merge(account, pulumi.ResourceOptions(
        depends_on=[environment.metastore_assignment])))
