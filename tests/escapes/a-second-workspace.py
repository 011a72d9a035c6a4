# Family: Azure
# Stacks: uat, prod
# Caught: one-databricks-workspace on shadow
azure_native.databricks.Workspace("shadow", workspace_name="dbw-shadow",
    resource_group_name=environment.resource_group_name, location="westeurope",
    sku={"name": "premium"}, managed_resource_group_id="/subscriptions/x/resourceGroups/shadow",
    parameters={"enable_no_public_ip": {"value": True}}, public_network_access="Disabled",
    tags={"environment": "staging"},
    opts=pulumi.ResourceOptions(provider=environment.azure_provider, protect=True))
