# Family: Private networking
# Stacks: uat, prod
# Caught: workspace-bound-to-ncc on bind-a-stranger
databricks.MwsNccBinding("bind-a-stranger",
    network_connectivity_config_id=environment.serverless.ncc_id,
    workspace_id="2222222222222222", opts=account)
