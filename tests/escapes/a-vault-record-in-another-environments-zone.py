# Family: Private networking
# Stacks: uat, prod
# Caught: private-dns-own-zones on vault-record-elsewhere
stack = pulumi.get_stack()
other = {"uat": ("55555555-5555-4555-8555-555555555555", "prod"),
         "prod": ("11111111-1111-4111-8111-111111111111", "uat")}[stack]
azure_native.network.PrivateDnsZoneGroup("vault-record-elsewhere",
    private_endpoint_name=f"pe-kv-mlops-{stack}-keys-vault",
    resource_group_name=environment.resource_group_name,
    private_dns_zone_group_name="elsewhere",
    private_dns_zone_configs=[{"name": "privatelink-vaultcore-azure-net",
        "private_dns_zone_id": f"/subscriptions/{other[0]}/resourceGroups/rg-mlops-{other[1]}"
        "/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"}],
    opts=azure)
