"""Private endpoints in the workspace's VNet, and the private DNS that resolves to them.

As Databricks' reference builds them (terraform-databricks-sra azure/tf/modules/workspace
backend_privatelink.tf, webauth_privatelink.tf, dbfs_privatelink.tf; catalog
private_endpoint.tf; virtual_network/dns.tf): each endpoint connects automatically (not a
manual request), and a DNS zone group puts its record in the zone of its sub-resource. The
zones are created and linked to the VNet, or, where a landing zone owns them centrally,
named by id and left to the landing zone (which links them and resolves for its networks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network, privatedns

from ...vocabulary.network import GLOBAL_LOCATION, ZONE_OF_GROUP, ZONES, NetworkNames


@dataclass(frozen=True)
class EndpointArgs:
    key: str
    """The endpoint's name in the component and in the outputs, e.g. workspace-ui-api."""
    target: str
    """What it connects to, e.g. workspace: endpoints to one target are created one by one."""
    endpoint_name: str
    """The private endpoint's Azure name."""
    target_id: pulumi.Input[str]
    """The ARM id of the resource it connects to."""
    group: str
    """The private link sub-resource, e.g. databricks_ui_api or dfs."""
    after: list[pulumi.Resource] = field(default_factory=list)
    """What must exist first (the target, when its id is known before it exists)."""


@dataclass(frozen=True)
class PrivateLinkArgs:
    names: NetworkNames
    """The network's names and ids."""
    vnet_id: pulumi.Input[str]
    """The VNet the created zones are linked to."""
    endpoint_subnet_id: pulumi.Input[str]
    """The subnet the endpoints take their addresses from."""
    resource_group_name: pulumi.Input[str]
    """The resource group of the endpoints and the created zones."""
    location: str
    """The endpoints' region."""
    tags: dict[str, str]
    """Tags on every resource."""
    endpoints: list[EndpointArgs]
    """The endpoints, created in this order, each after the one before on the same target."""
    existing_zones: dict[str, str] | None = None
    """The ids of existing zones by key (azuredatabricks, dfs, blob, vaultcore); None creates
    them."""


class PrivateLink(pulumi.ComponentResource):
    """Private endpoints with their DNS records, and the zones they are written to.

    Pass the azure-native provider through `opts.providers`.
    """

    resources: dict[str, network.PrivateEndpoint]
    """Each endpoint, by key."""
    zone_groups: dict[str, network.PrivateDnsZoneGroup]
    """Each endpoint's DNS zone group, by the endpoint's key: its record exists once it does."""
    zone_links: dict[str, privatedns.VirtualNetworkLink]
    """The created zones' links to the VNet, by zone key; none with the landing zone's zones."""
    zones: dict[str, pulumi.Output[str]]
    """The ARM id of each private DNS zone the endpoints write into, by key."""

    def __init__(
        self, name: str, args: PrivateLinkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:PrivateLink", name, None, opts)
        self.zone_links = {}
        # Only the zones the endpoints write into: the vault's only with its endpoint.
        used = {ZONE_OF_GROUP[endpoint.group] for endpoint in args.endpoints}
        needed = [key for key in ZONES if key in used]
        existing = args.existing_zones
        self.zones = (
            {key: pulumi.Output.from_input(existing[key]) for key in needed}
            if existing is not None
            else self._zones(name, args, needed)
        )
        self.resources = {}
        self.zone_groups = {}
        previous: dict[str, pulumi.Resource] = {}
        for endpoint in args.endpoints:
            after = [*endpoint.after]
            if endpoint.target in previous:
                # One change to a target at a time: the workspace "is put in an 'updating'
                # state" by each (sra workspace/backend_privatelink.tf).
                after.append(previous[endpoint.target])
            created = network.PrivateEndpoint(
                f"{name}-{endpoint.key}",
                private_endpoint_name=endpoint.endpoint_name,
                resource_group_name=args.resource_group_name,
                location=args.location,
                subnet=network.SubnetArgs(id=args.endpoint_subnet_id),
                private_link_service_connections=[
                    network.PrivateLinkServiceConnectionArgs(
                        name=endpoint.endpoint_name,
                        private_link_service_id=endpoint.target_id,
                        group_ids=[endpoint.group],
                    )
                ],
                tags=args.tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=after),
            )
            zone_key = ZONE_OF_GROUP[endpoint.group]
            # Names as literals, known in a first preview, so the rules can tell which
            # endpoint a zone group writes for; depends_on keeps the order.
            self.zone_groups[endpoint.key] = network.PrivateDnsZoneGroup(
                f"{name}-{endpoint.key}-dns",
                private_endpoint_name=endpoint.endpoint_name,
                resource_group_name=args.resource_group_name,
                private_dns_zone_group_name="default",
                private_dns_zone_configs=[
                    network.PrivateDnsZoneConfigArgs(
                        name=ZONES[zone_key].replace(".", "-"),
                        private_dns_zone_id=self.zones[zone_key],
                    )
                ],
                opts=pulumi.ResourceOptions(parent=self, depends_on=[created]),
            )
            previous[endpoint.target] = created
            self.resources[endpoint.key] = created
        self.register_outputs({"zones": self.zones})

    def _zones(
        self, name: str, args: PrivateLinkArgs, keys: list[str]
    ) -> dict[str, pulumi.Output[str]]:
        """The zones, each linked to the VNet so its clusters resolve the endpoints."""
        zones = {}
        for key in keys:
            zone_name = ZONES[key]
            zone = privatedns.PrivateZone(
                f"{name}-zone-{key}",
                private_zone_name=zone_name,
                resource_group_name=args.resource_group_name,
                location=GLOBAL_LOCATION,
                tags=args.tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.zone_links[key] = privatedns.VirtualNetworkLink(
                f"{name}-zone-{key}-link",
                private_zone_name=zone_name,
                resource_group_name=args.resource_group_name,
                virtual_network_link_name=f"{args.names.vnet_name}-link",
                virtual_network=privatedns.SubResourceArgs(id=args.vnet_id),
                registration_enabled=False,
                location=GLOBAL_LOCATION,
                tags=args.tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[zone]),
            )
            zones[key] = zone.id
        return zones
