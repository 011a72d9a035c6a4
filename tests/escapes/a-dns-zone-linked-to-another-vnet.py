# Family: Private networking
# Stacks: uat, prod
# Caught: private-dns-own-zones on resolve-from-elsewhere
stack = pulumi.get_stack()
azure_native.privatedns.VirtualNetworkLink("resolve-from-elsewhere",
    private_zone_name="privatelink.dfs.core.windows.net",
    resource_group_name=environment.resource_group_name, location="global",
    virtual_network_link_name="elsewhere", registration_enabled=False,
    virtual_network={"id": f"/subscriptions/{environment.config.azure.subscription_id}/"
                     f"resourceGroups/rg-mlops-{stack}/providers/Microsoft.Network/"
                     "virtualNetworks/vnet-shadow"},
    opts=azure)
