"""Private networking terms: private link sub-resources, DNS zones, delegation, ARM ids.

Each value is one the Azure and Databricks APIs define; the components build with them and
the rules check against them, so both speak of the same endpoint, zone or subnet.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

# Private link sub-resources (the private endpoint's `group_ids`).
# "databricks_ui_api": the workspace's front end and back end, "one per workspace";
# "browser_authentication": web authentication for front-end private link, "shared among all
# workspaces in the region that share the same private DNS zone"
# (https://learn.microsoft.com/azure/databricks/security/network/classic/private-link-standard).
UI_API = "databricks_ui_api"
BROWSER_AUTHENTICATION = "browser_authentication"
# Storage sub-resources: ADLS Gen2 is reached on `dfs`, and Azure Databricks also uses `blob`
# ("to connect to workspace root storage (root DBFS), you need two endpoints, one for `blob`
# and one for `dfs`": pulumi_databricks MwsNccPrivateEndpointRule.group_id).
DFS = "dfs"
BLOB = "blob"
STORAGE_GROUPS = (DFS, BLOB)
# A Key Vault's sub-resource: "Target sub-resource will auto-populate with "vault""
# (https://learn.microsoft.com/azure/key-vault/general/private-link-service).
VAULT = "vault"

# The private DNS zones of those sub-resources
# (https://learn.microsoft.com/azure/private-link/private-endpoint-dns): both workspace
# endpoints resolve in the Azure Databricks zone, a vault in "privatelink.vaultcore.azure.net"
# ("You must have a Private DNS Zone resource with the exact name", private-link-service).
VAULTCORE = "vaultcore"
ZONES = {
    "azuredatabricks": "privatelink.azuredatabricks.net",
    DFS: "privatelink.dfs.core.windows.net",
    BLOB: "privatelink.blob.core.windows.net",
    VAULTCORE: "privatelink.vaultcore.azure.net",
}
ZONE_OF_GROUP = {
    UI_API: "azuredatabricks",
    BROWSER_AUTHENTICATION: "azuredatabricks",
    DFS: DFS,
    BLOB: BLOB,
    VAULT: VAULTCORE,
}
# Private DNS zones are global resources (the registry's example sets `location="Global"`:
# https://www.pulumi.com/registry/packages/azure-native/api-docs/privatedns/privatezone).
GLOBAL_LOCATION = "global"

# VNet injection: the host and container subnets are delegated to Azure Databricks, which then
# manages its network intent policy rules in their NSG (databricks/terraform-databricks-sra
# azure/tf/modules/virtual_network/subnets.tf; "You do not have permission to update or delete
# these NSG rules; any attempt to do so is blocked by the subnet delegation", Databricks).
DATABRICKS_DELEGATION = "Microsoft.Databricks/workspaces"
DELEGATION_ACTIONS = (
    "Microsoft.Network/virtualNetworks/subnets/join/action",
    "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
    "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action",
)
# "Address space: A CIDR block between /16 and /24 for the VNet"; "Each subnet should use a
# CIDR block that is at least /26" (https://learn.microsoft.com/azure/databricks/security/
# network/classic/vnet-inject).
VNET_PREFIXES = (16, 24)
WORKSPACE_SUBNET_MAX_PREFIX = 26
# "Azure reserves the first four addresses and the last address in each subnet, for a total
# of five" (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq); the
# estate's up to eight endpoints need a /28 (16 - 5 = 11 addresses).
ENDPOINT_SUBNET_MAX_PREFIX = 28

# The subnets and gateway the estate names when it creates the network.
HOST_SUBNET = "snet-databricks-host"
CONTAINER_SUBNET = "snet-databricks-container"
ENDPOINT_SUBNET = "snet-private-endpoints"

# The only service tags an inbound Allow rule may name: "VirtualNetwork" (the VNet, its peers
# and the networks its gateways connect) and "AzureLoadBalancer" (its health probes)
# (https://learn.microsoft.com/azure/virtual-network/service-tags-overview). Every other tag,
# "Internet", "*" and broad ones such as "AzureCloud" (every Azure datacenter address,
# anyone's virtual machines included), lets in more than the VNet. Tags match without regard
# to case, as Azure reads them.
INBOUND_SERVICE_TAGS = frozenset({"virtualnetwork", "azureloadbalancer"})

# Databricks' serverless private endpoints: "The name of the Azure private endpoint resource,
# e.g. "databricks-088781b3-77fa-4132-b429-1af0d91bc593-pe-3cb31234""
# (pulumi_databricks MwsNccPrivateEndpointRule.endpoint_name).
NCC_ENDPOINT_NAME = re.compile(
    r"databricks-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-pe-[0-9a-f]{8}", re.IGNORECASE
)
# An ARM private endpoint id (Microsoft.Network/privateEndpoints), its name last.
PRIVATE_ENDPOINT_ID = re.compile(
    r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/"
    r"privateEndpoints/([^/]+)",
    re.IGNORECASE,
)

# Serverless egress (pulumi_databricks AccountNetworkPolicy): "Possible values are:
# `FULL_ACCESS`, `RESTRICTED_ACCESS`"; "ENFORCED blocks traffic that violates policy, while
# DRY_RUN only logs violations"; "Currently only DNS_NAME is supported". The account's
# `default-policy` applies to every workspace without a policy of its own.
RESTRICTED_ACCESS = "RESTRICTED_ACCESS"
ENFORCED = "ENFORCED"
DNS_NAME = "DNS_NAME"
DEFAULT_NETWORK_POLICY = "default-policy"
# An NCC's name "must match the regular expression `^[0-9a-zA-Z-_]{3,30}$`".
NCC_NAME_MAX = 30


def arm_id(subscription: str, group: str, provider_type: str, name: str) -> str:
    """The ARM id of a resource of `provider_type` (e.g. Microsoft.Network/virtualNetworks)."""
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{provider_type}/{name}"


def is_inbound_source(prefix: str, address_space: str | None) -> bool:
    """An NSG source an inbound Allow rule may name: VirtualNetwork, AzureLoadBalancer, or a
    range inside the VNet's declared address space (none is known for a landing zone's)."""
    if prefix.casefold() in INBOUND_SERVICE_TAGS:
        return True
    if address_space is None:
        return False
    try:
        network = ipaddress.ip_network(prefix, strict=False)
        vnet = ipaddress.ip_network(address_space, strict=False)
    except ValueError:
        return False  # "*", "Internet", "AzureCloud" or any other tag
    return network.version == vnet.version and network.subnet_of(vnet)  # type: ignore[arg-type]


def private_endpoint_name(endpoint_id: str) -> str | None:
    """The name of the private endpoint an ARM id names, exactly its last segment; None for
    an id of anything else."""
    match = PRIVATE_ENDPOINT_ID.fullmatch(endpoint_id)
    return match.group(1) if match else None


def is_ncc_endpoint_name(name: str) -> bool:
    """Whether `name` is in the form Databricks gives its NCC rules' private endpoints."""
    return NCC_ENDPOINT_NAME.fullmatch(name) is not None


@dataclass(frozen=True)
class NetworkNames:
    """The names and ARM ids of the stack's network, from its config alone."""

    subscription: str
    resource_group: str
    vnet_id: str
    vnet_name: str
    host_subnet: str
    container_subnet: str
    endpoint_subnet: str
    created: bool
    """Whether the estate creates the network (else it joins an existing one)."""

    @property
    def endpoint_subnet_id(self) -> str:
        return f"{self.vnet_id}/subnets/{self.endpoint_subnet}"

    @property
    def nsg_name(self) -> str:
        return f"nsg-{self.vnet_name}-databricks"

    @property
    def nat_gateway_name(self) -> str:
        return f"ng-{self.vnet_name}"

    @property
    def public_ip_name(self) -> str:
        return f"pip-{self.vnet_name}-nat"
