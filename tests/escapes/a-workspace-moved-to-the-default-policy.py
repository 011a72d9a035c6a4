# Family: Private networking
# Stacks: uat, prod
# Caught: network-option-own-workspace on back-to-default
databricks.WorkspaceNetworkOption("back-to-default",
    workspace_id=environment.workspace.workspace_id, network_policy_id="default-policy",
    opts=account)
