# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: workspace-conf-hardened on weaker
# Caught: one-workspace-conf on weaker
databricks.WorkspaceConf("weaker", custom_config={"enforceWorkspaceViewAcls": "false",
    "enableTokensConfig": "false"}, opts=pulumi.ResourceOptions.merge(opts,
    pulumi.ResourceOptions(protect=pulumi.get_stack() == "prod")))
