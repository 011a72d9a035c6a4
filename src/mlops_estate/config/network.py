"""The config of the workspace's network: created by the estate or joined, private by default,
and the checks that span its keys.

The VNet rules are Azure Databricks' for VNet injection ("The VNet must be in the same
subscription as the Azure Databricks workspace"; "A CIDR block between /16 and /24 for the
VNet"; "Each subnet should use a CIDR block that is at least /26":
https://learn.microsoft.com/azure/databricks/security/network/classic/vnet-inject).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ..vocabulary.azure import same_id
from ..vocabulary.network import (
    CONTAINER_SUBNET,
    ENDPOINT_SUBNET,
    ENDPOINT_SUBNET_MAX_PREFIX,
    HOST_SUBNET,
    NCC_NAME_MAX,
    VAULTCORE,
    VNET_PREFIXES,
    WORKSPACE_SUBNET_MAX_PREFIX,
    ZONES,
    NetworkNames,
    arm_id,
)
from .errors import Problem, key_path, rejected
from .model import StrictModel
from .values import AzureResourceName, SubnetName, VirtualNetworkId, matching


def _ipv4_prefix(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise rejected(
            value, "an IPv4 network in CIDR notation with no host bits set, such as 10.20.0.0/22"
        ) from None
    if not network.is_private:
        raise rejected(value, "a private address range (RFC 1918), as a VNet's space is")
    return value


Ipv4Prefix = Annotated[str, AfterValidator(_ipv4_prefix)]
PrivateDnsZoneId = Annotated[
    str,
    AfterValidator(
        matching(
            r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]+/providers/"
            r"Microsoft\.Network/privateDnsZones/[a-z0-9.-]+",
            "the ARM id of a private DNS zone: /subscriptions/<id>/resourceGroups/<rg>/"
            "providers/Microsoft.Network/privateDnsZones/<zone>",
        )
    ),
]
PrivateEndpointId = Annotated[
    str,
    AfterValidator(
        matching(
            r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]+/providers/"
            r"Microsoft\.Network/privateEndpoints/[-\w.]+",
            "the ARM id of a private endpoint: /subscriptions/<id>/resourceGroups/<rg>/"
            "providers/Microsoft.Network/privateEndpoints/<name>",
        )
    ),
]
DnsName = Annotated[
    str,
    AfterValidator(
        matching(
            r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
            "a DNS name such as pypi.org, lowercase, without a wildcard (serverless egress "
            "policies take DNS names)",
        )
    ),
]


class CreatedNetwork(StrictModel):
    """The estate creates the VNet, its subnets, their NSG and a NAT gateway for egress."""

    name: AzureResourceName = Field(description="The virtual network's name.")
    address_space: Ipv4Prefix = Field(description="The VNet's address space, /16 to /24.")
    host_subnet: Ipv4Prefix = Field(description="The host (public) subnet, at least /26.")
    container_subnet: Ipv4Prefix = Field(
        description="The container (private) subnet, at least /26."
    )
    private_endpoint_subnet: Ipv4Prefix = Field(
        description="The subnet of the private endpoints, at least /28."
    )


class ExistingNetwork(StrictModel):
    """A VNet the landing zone owns: its subnets already delegated, with an NSG and egress."""

    virtual_network_id: VirtualNetworkId = Field(
        description="The ARM id of the VNet, in azure.subscription_id and azure.location."
    )
    host_subnet: SubnetName = Field(description="The host (public) subnet's name.")
    container_subnet: SubnetName = Field(description="The container (private) subnet's name.")
    private_endpoint_subnet: SubnetName = Field(
        description="The name of the subnet the estate puts its private endpoints in."
    )


class BrowserAuthentication(StrictModel):
    """The region's `browser_authentication` endpoint: "shared among all workspaces in the
    region that share the same private DNS zone", so one stack creates it and the others
    name it."""

    create: bool = Field(default=False, description="This stack creates it, for its own workspace.")
    existing_private_endpoint_id: PrivateEndpointId | None = Field(
        default=None, description="The endpoint another stack or the landing zone created."
    )


class PrivateDnsZones(StrictModel):
    """Existing private DNS zones, owned and linked by the landing zone."""

    azuredatabricks: PrivateDnsZoneId = Field(description=f"The {ZONES['azuredatabricks']} zone.")
    dfs: PrivateDnsZoneId = Field(description=f"The {ZONES['dfs']} zone.")
    blob: PrivateDnsZoneId = Field(description=f"The {ZONES['blob']} zone.")
    vaultcore: PrivateDnsZoneId | None = Field(
        default=None,
        description=f"The {ZONES[VAULTCORE]} zone: required when the Key Vault is private "
        "(customer-managed keys with public_network_access Disabled).",
    )


class ServerlessEgress(StrictModel):
    allowed_internet_destinations: list[DnsName] = Field(
        default_factory=list,
        description="What serverless compute may reach on the internet; Unity Catalog "
        "locations are allowed without being listed.",
    )


class NetworkSettings(StrictModel):
    """Private by default: a public front end is a choice (`public_network_access: Enabled`),
    the back end, the storage and serverless compute stay private either way."""

    public_network_access: Literal["Enabled", "Disabled"] = Field(
        description="Whether the workspace's front end is reachable from the internet."
    )
    create: CreatedNetwork | None = Field(
        default=None, description="The estate creates the network (give this or existing)."
    )
    existing: ExistingNetwork | None = Field(
        default=None, description="The workspace joins an existing network."
    )
    browser_authentication: BrowserAuthentication | None = Field(
        default=None, description="Required when public_network_access is Disabled."
    )
    private_dns_zones: PrivateDnsZones | None = Field(
        default=None,
        description="Existing zones; without them the estate creates the zones and links them "
        "to its VNet.",
    )
    serverless_egress: ServerlessEgress = Field(
        default_factory=ServerlessEgress, description="Serverless compute's egress policy."
    )


def network_names(
    network: NetworkSettings, subscription: str, resource_group: str
) -> NetworkNames | None:
    """The names and ids of the stack's network; None if the config declares none."""
    if network.create is not None:
        return NetworkNames(
            subscription=subscription,
            resource_group=resource_group,
            vnet_id=arm_id(
                subscription,
                resource_group,
                "Microsoft.Network/virtualNetworks",
                network.create.name,
            ),
            vnet_name=network.create.name,
            host_subnet=HOST_SUBNET,
            container_subnet=CONTAINER_SUBNET,
            endpoint_subnet=ENDPOINT_SUBNET,
            created=True,
        )
    if network.existing is not None:
        existing = network.existing
        parts = existing.virtual_network_id.split("/")
        return NetworkNames(
            subscription=parts[2],
            resource_group=parts[4],
            vnet_id=existing.virtual_network_id,
            vnet_name=parts[-1],
            host_subnet=existing.host_subnet,
            container_subnet=existing.container_subnet,
            endpoint_subnet=existing.private_endpoint_subnet,
            created=False,
        )
    return None


def _created_problems(created: CreatedNetwork) -> list[Problem]:
    problems: list[Problem] = []
    space = ipaddress.IPv4Network(created.address_space)
    low, high = VNET_PREFIXES
    if not low <= space.prefixlen <= high:
        problems.append(
            (
                key_path("network", "create", "address_space"),
                f"{created.address_space} is a /{space.prefixlen}: a workspace's VNet is "
                f"/{low} to /{high}",
            )
        )
    subnets = (
        ("host_subnet", created.host_subnet, WORKSPACE_SUBNET_MAX_PREFIX),
        ("container_subnet", created.container_subnet, WORKSPACE_SUBNET_MAX_PREFIX),
        ("private_endpoint_subnet", created.private_endpoint_subnet, ENDPOINT_SUBNET_MAX_PREFIX),
    )
    for index, (key, prefix, largest) in enumerate(subnets):
        subnet = ipaddress.IPv4Network(prefix)
        path = key_path("network", "create", key)
        if not subnet.subnet_of(space):
            problems.append((path, f"{prefix} lies outside the VNet's {created.address_space}"))
        elif subnet.prefixlen > largest:
            problems.append((path, f"{prefix} is smaller than /{largest}"))
        for other_key, other, _ in subnets[:index]:
            if subnet.overlaps(ipaddress.IPv4Network(other)):
                problems.append((path, f"{prefix} overlaps network.create.{other_key} ({other})"))
    return problems


def private_key_vault(network: NetworkSettings, customer_managed_keys: bool) -> bool:
    """Whether the estate's Key Vault is reached only through its private endpoint: the
    estate has one (customer-managed keys) and the workspace's front end is private."""
    return customer_managed_keys and network.public_network_access == "Disabled"


def network_problems(
    network: NetworkSettings,
    subscription: str,
    location: str,
    environment: str,
    customer_managed_keys: bool,
) -> list[Problem]:
    """What is wrong across the network's keys, each problem naming its key."""
    problems: list[Problem] = []
    if (network.create is None) == (network.existing is None):
        problems.append(
            (
                key_path("network", "create"),
                "give exactly one of network.create (the estate creates the VNet) and "
                "network.existing (the workspace joins a VNet)",
            )
        )
    if network.create is not None:
        problems += _created_problems(network.create)
    if network.existing is not None:
        existing = network.existing
        vnet_subscription = existing.virtual_network_id.split("/")[2]
        if not same_id(vnet_subscription, subscription):
            problems.append(
                (
                    key_path("network", "existing", "virtual_network_id"),
                    f"is in the subscription {vnet_subscription!r}: the workspace's virtual "
                    f"network must be in azure.subscription_id ({subscription!r})",
                )
            )
        names = [existing.host_subnet, existing.container_subnet, existing.private_endpoint_subnet]
        for key, name in zip(
            ("container_subnet", "private_endpoint_subnet"), names[1:], strict=True
        ):
            if names.count(name) > 1:
                problems.append(
                    (
                        key_path("network", "existing", key),
                        f"{name!r} is named twice: the workspace's two subnets and the "
                        "endpoints' subnet are three subnets",
                    )
                )
    problems += _browser_authentication_problems(network)
    if network.private_dns_zones is not None:
        for key, zone in ZONES.items():
            zone_id = getattr(network.private_dns_zones, key)
            if zone_id is None:
                if key == VAULTCORE and private_key_vault(network, customer_managed_keys):
                    problems.append(
                        (
                            key_path("network", "private_dns_zones", key),
                            f"required with customer-managed keys and public_network_access "
                            f"Disabled: the Key Vault's private endpoint writes its record "
                            f"into the landing zone's {zone} zone",
                        )
                    )
                continue
            if not same_id(zone_id.rsplit("/", 1)[-1], zone):
                problems.append(
                    (
                        key_path("network", "private_dns_zones", key),
                        f"names the zone {zone_id.rsplit('/', 1)[-1]!r}, not {zone!r}",
                    )
                )
    if len(ncc_name(environment, location)) > NCC_NAME_MAX:
        problems.append(
            (
                key_path("azure", "location"),
                f"makes the network connectivity configuration's name "
                f"{ncc_name(environment, location)!r} longer than {NCC_NAME_MAX} characters",
            )
        )
    return problems


def _browser_authentication_problems(network: NetworkSettings) -> list[Problem]:
    browser = network.browser_authentication
    path = key_path("network", "browser_authentication")
    if network.public_network_access == "Enabled":
        if browser is not None:
            # "Web authentication is only necessary with front-end private connectivity"
            # (https://docs.azure.cn/en-us/databricks/security/network/classic/private-link).
            return [
                (
                    path,
                    "only with public_network_access Disabled: a public front end "
                    "authenticates users on the internet",
                )
            ]
        return []
    if browser is None:
        return [
            (
                path,
                "required when public_network_access is Disabled: users' browsers sign in "
                "through it (create: true, or existing_private_endpoint_id)",
            )
        ]
    if browser.create == (browser.existing_private_endpoint_id is not None):
        return [(path, "give exactly one of create: true and existing_private_endpoint_id")]
    if browser.existing_private_endpoint_id is not None and network.private_dns_zones is None:
        # The web-authentication endpoint is "shared among all workspaces in the region that
        # share the same private DNS zone" (Microsoft Learn, private-link-standard): an
        # existing one serves this workspace only if its record and this workspace's are in
        # one privatelink.azuredatabricks.net zone, the owner's, not a zone this stack creates.
        return [
            (
                key_path("network", "private_dns_zones"),
                "required with browser_authentication.existing_private_endpoint_id: the "
                "existing endpoint signs users in only through the zone it writes into, so "
                "name that zone (and the others) instead of creating new ones",
            )
        ]
    return []


def ncc_name(environment: str, location: str) -> str:
    """The name of the stack's network connectivity configuration (one per environment and
    region: "NCCs can only be referenced by your workspaces in the same region")."""
    return f"ncc-{environment}-{location}"


def network_policy_id(workspace: str) -> str:
    """The workspace's serverless egress policy: its own, named after it, never the account's
    shared `default-policy`."""
    return f"{workspace}-egress"
