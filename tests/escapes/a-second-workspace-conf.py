# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: one-workspace-conf on shadow-conf
databricks.WorkspaceConf("shadow-conf", custom_config={"enforceWorkspaceViewAcls": "true",
    "enforceClusterViewAcls": "true", "enableJobViewAcls": "true", "enableVerboseAuditLogs": "true",
    "enableTokensConfig": "false"},
    opts=pulumi.ResourceOptions.merge(opts,
    pulumi.ResourceOptions(protect=pulumi.get_stack() == "prod")))
