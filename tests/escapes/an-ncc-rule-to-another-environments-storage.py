# Family: Private networking
# Stacks: uat, prod
# Caught: ncc-own-resources on serverless-into-other-storage
other = {"uat": ("55555555-5555-4555-8555-555555555555", "prod"),
         "prod": ("11111111-1111-4111-8111-111111111111", "uat")}[pulumi.get_stack()]
databricks.MwsNccPrivateEndpointRule("serverless-into-other-storage",
    network_connectivity_config_id=environment.serverless.ncc_id, group_id="dfs",
    resource_id=f"/subscriptions/{other[0]}/resourceGroups/rg-mlops-{other[1]}/providers/"
    f"Microsoft.Storage/storageAccounts/stmlops{other[1]}catalog", opts=account)
