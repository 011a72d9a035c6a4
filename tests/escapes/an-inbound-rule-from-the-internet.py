# Family: Private networking
# Stacks: uat, prod
# Caught: security-rules-no-inbound-internet on ssh-from-anywhere
azure_native.network.SecurityRule("ssh-from-anywhere",
    resource_group_name=environment.resource_group_name,
    network_security_group_name=f"nsg-vnet-mlops-{pulumi.get_stack()}-databricks",
    security_rule_name="AllowSsh", priority=300, direction="Inbound", access="Allow",
    protocol="Tcp", source_address_prefix="Internet", source_port_range="*",
    destination_address_prefix="VirtualNetwork", destination_port_range="22", opts=azure)
