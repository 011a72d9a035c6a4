# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: workspace-conf-hardened on loose
# Caught: one-workspace-conf on loose
databricks.WorkspaceConf("loose", custom_config={"enableIpAccessLists": "false",
    "enableDeprecatedGlobalInitScripts": "true", "enableTokensConfig": "false"},
    opts=pulumi.ResourceOptions.merge(opts,
    pulumi.ResourceOptions(protect=pulumi.get_stack() == "prod")))
