# Family: Private networking
# Stacks: uat, prod
# Caught: public-ips-only-for-nat-gateway on jump-host-ip
azure_native.network.PublicIPAddress("jump-host-ip", public_ip_address_name="pip-jump-host",
    resource_group_name=environment.resource_group_name, location="westeurope",
    sku={"name": "Standard", "tier": "Regional"}, public_ip_allocation_method="Static",
    opts=azure)
