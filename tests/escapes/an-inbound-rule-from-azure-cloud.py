# Family: Private networking
# Stacks: uat, prod
# Caught: security-rules-no-inbound-internet on from-any-azure-tenant
azure_native.network.SecurityRule("from-any-azure-tenant",
    resource_group_name=environment.resource_group_name,
    network_security_group_name=f"nsg-vnet-mlops-{pulumi.get_stack()}-databricks",
    security_rule_name="AllowAzure", priority=310, direction="inbound", access="allow",
    protocol="*", source_address_prefix="AzureCloud", source_port_range="*",
    destination_address_prefix="VirtualNetwork", destination_port_range="*", opts=azure)
