# Family: Private networking
# Stacks: uat, prod
# Caught: private-endpoints-own-targets on into-other-vault
other = {"uat": ("55555555-5555-4555-8555-555555555555", "prod"),
         "prod": ("11111111-1111-4111-8111-111111111111", "uat")}[pulumi.get_stack()]
azure_native.network.PrivateEndpoint("into-other-vault",
    private_endpoint_name="pe-into-other-vault",
    resource_group_name=environment.resource_group_name, location="westeurope",
    subnet={"id": environment.network.network.endpoint_subnet_id},
    private_link_service_connections=[{"name": "vault", "group_ids": ["vault"],
        "private_link_service_id": f"/subscriptions/{other[0]}/resourceGroups/rg-mlops-{other[1]}"
        f"/providers/Microsoft.KeyVault/vaults/kv-mlops-{other[1]}-keys"}],
    opts=azure)
