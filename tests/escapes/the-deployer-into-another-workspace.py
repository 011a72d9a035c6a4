# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: workspace-access-declared on forged-into-own
# Caught: workspace-access-declared on into-another-workspace
databricks.MwsPermissionAssignment("into-another-workspace", workspace_id="2345678901234567",
    principal_id=environment.deployer.service_principal_id, permissions=["USER"],
    opts=pulumi.ResourceOptions.merge(account, pulumi.ResourceOptions(
        depends_on=[environment.metastore_assignment])))
databricks.MwsPermissionAssignment("forged-into-own", workspace_id=environment.workspace.workspace_id,
    principal_id=environment.deployer.service_principal_id.apply(lambda _: "8888888888"),
    permissions=["USER"], opts=pulumi.ResourceOptions.merge(account, pulumi.ResourceOptions(
        depends_on=[environment.metastore_assignment])))
