"""The workspace's network: created as Databricks' reference builds it, or an existing one.

Created, it is a VNet with two subnets delegated to Azure Databricks that share one NSG, a
NAT gateway for the clusters' egress, and a subnet for private endpoints
(databricks/terraform-databricks-sra azure/tf/modules/virtual_network). Subnets and NSG rules
are standalone resources: "Do not mix inline and standalone resource as they will conflict
with each other, leading to resources deletion" (pulumi_azure_native.network.VirtualNetwork
`subnets`, NetworkSecurityGroup `security_rules`), and Azure Databricks writes rules of its
own into the delegated subnets' NSG.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from ...vocabulary.network import DATABRICKS_DELEGATION, DELEGATION_ACTIONS, NetworkNames


@dataclass(frozen=True)
class CreatedNetworkArgs:
    address_space: str
    """The VNet's address space."""
    host_subnet: str
    """The host (public) subnet's prefix."""
    container_subnet: str
    """The container (private) subnet's prefix."""
    private_endpoint_subnet: str
    """The private endpoints' subnet's prefix."""


@dataclass(frozen=True)
class WorkspaceNetworkArgs:
    names: NetworkNames
    """The network's names and ids, from the config."""
    resource_group_name: pulumi.Input[str]
    """The resource group the created network lives in."""
    location: str
    """The Azure region: the workspace's, as VNet injection requires."""
    tags: dict[str, str]
    """Tags on every resource."""
    created: CreatedNetworkArgs | None = None
    """The prefixes of the network to create; None joins the existing network `names` names."""


# Outbound rules Databricks' reference adds to the workspace subnets' NSG, beside the rules
# Azure Databricks manages through the delegation (sra modules/virtual_network/main.tf).
OUTBOUND_RULES = (
    ("AllowAAD", 200, "AzureActiveDirectory"),
    ("AllowAzureFrontDoor", 201, "AzureFrontDoor.Frontend"),
)


class WorkspaceNetwork(pulumi.ComponentResource):
    """Where the workspace's compute and the private endpoints live.

    Pass the azure-native provider through `opts.providers`.
    """

    vnet_id: pulumi.Output[str]
    endpoint_subnet_id: pulumi.Output[str]
    nat_public_ip: pulumi.Output[str] | None
    """The clusters' stable egress address, when the estate creates the network."""
    ready: list[pulumi.Resource]
    """What the workspace waits for: the subnets it joins, with their NSG and NAT gateway."""

    def __init__(
        self, name: str, args: WorkspaceNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:WorkspaceNetwork", name, None, opts)
        names = args.names
        self.ready = []
        self.nat_public_ip = None
        if args.created is None:
            self.vnet_id = pulumi.Output.from_input(names.vnet_id)
            self.endpoint_subnet_id = pulumi.Output.from_input(names.endpoint_subnet_id)
        else:
            self._create(name, args, args.created)
        self.register_outputs({"vnet_id": self.vnet_id})

    def _create(self, name: str, args: WorkspaceNetworkArgs, created: CreatedNetworkArgs) -> None:
        names, child = args.names, pulumi.ResourceOptions(parent=self)
        common = {"resource_group_name": args.resource_group_name}
        located = {**common, "location": args.location, "tags": args.tags}
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=names.vnet_name,
            address_space=network.AddressSpaceArgs(address_prefixes=[created.address_space]),
            opts=child,
            **located,
        )
        nsg = network.NetworkSecurityGroup(
            f"{name}-nsg", network_security_group_name=names.nsg_name, opts=child, **located
        )
        rules = [
            network.SecurityRule(
                f"{name}-nsg-{rule_name.lower()}",
                network_security_group_name=nsg.name,
                security_rule_name=rule_name,
                priority=priority,
                direction=network.SecurityRuleDirection.OUTBOUND,
                access=network.SecurityRuleAccess.ALLOW,
                protocol=network.SecurityRuleProtocol.TCP,
                source_address_prefix="VirtualNetwork",
                source_port_range="*",
                destination_address_prefix=destination,
                destination_port_range="443",
                opts=child,
                **common,
            )
            for rule_name, priority, destination in OUTBOUND_RULES
        ]
        # "NAT gateway is the recommended approach to have explicit outbound connectivity"
        # (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access),
        # and a VNet-injected workspace with secure cluster connectivity should have "a stable
        # egress public IP" (https://learn.microsoft.com/azure/databricks/security/network/
        # front-end/ip-access-list-workspace). A NAT gateway takes Standard, static addresses.
        public_ip = network.PublicIPAddress(
            f"{name}-nat-ip",
            public_ip_address_name=names.public_ip_name,
            sku=network.PublicIPAddressSkuArgs(
                name=network.PublicIPAddressSkuName.STANDARD,
                tier=network.PublicIPAddressSkuTier.REGIONAL,
            ),
            public_ip_allocation_method=network.IPAllocationMethod.STATIC,
            public_ip_address_version=network.IPVersion.I_PV4,
            opts=child,
            **located,
        )
        nat = network.NatGateway(
            f"{name}-nat",
            nat_gateway_name=names.nat_gateway_name,
            sku=network.NatGatewaySkuArgs(name=network.NatGatewaySkuName.STANDARD),
            public_ip_addresses=[network.SubResourceArgs(id=public_ip.id)],
            opts=child,
            **located,
        )
        subnets = {}
        # Azure changes one subnet of a VNet at a time; each waits for the one before.
        previous: list[pulumi.Resource] = []
        for key, subnet_name, prefix in (
            ("host", names.host_subnet, created.host_subnet),
            ("container", names.container_subnet, created.container_subnet),
        ):
            subnets[key] = subnet = network.Subnet(
                f"{name}-{key}-subnet",
                virtual_network_name=vnet.name,
                subnet_name=subnet_name,
                address_prefix=prefix,
                delegations=[
                    network.DelegationArgs(
                        name=f"databricks-{key}-subnet-delegation",
                        service_name=DATABRICKS_DELEGATION,
                        actions=list(DELEGATION_ACTIONS),
                    )
                ],
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                nat_gateway=network.SubResourceArgs(id=nat.id),
                # Egress goes through the NAT gateway only; "This property can only be set at
                # the time of subnet creation" (pulumi_azure_native.network.Subnet).
                default_outbound_access=False,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*rules, *previous]),
                **common,
            )
            previous = [subnet]
        endpoints = network.Subnet(
            f"{name}-endpoint-subnet",
            virtual_network_name=vnet.name,
            subnet_name=names.endpoint_subnet,
            address_prefix=created.private_endpoint_subnet,
            default_outbound_access=False,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
            **common,
        )
        self.vnet_id = vnet.id
        self.endpoint_subnet_id = endpoints.id
        self.nat_public_ip = public_ip.id
        self.ready = [subnets["host"], subnets["container"]]
