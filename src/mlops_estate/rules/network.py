"""Private networking rules: a private workspace its users can reach, private storage and Key
Vault, and no network path out of the environment or into it that the config does not declare.

Every id a rule trusts is computed from the config (the stack's subscription, resource groups
and names), or, while still unknown, accepted only while the one resource the config names
is itself still unknown and the value comes from it alone (`_is`, `holds()`'s rule): an
unknown value that depends on a source whose id is already known is the program's doing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..config.network import ncc_name, network_names, network_policy_id, private_key_vault
from ..vocabulary.azure import same_id
from ..vocabulary.network import (
    BROWSER_AUTHENTICATION,
    DATABRICKS_DELEGATION,
    DEFAULT_NETWORK_POLICY,
    DNS_NAME,
    ENFORCED,
    RESTRICTED_ACCESS,
    STORAGE_GROUPS,
    UI_API,
    VAULT,
    VAULTCORE,
    ZONES,
    NetworkNames,
    arm_id,
    is_inbound_source,
    is_ncc_endpoint_name,
    private_endpoint_name,
)
from ..vocabulary.resource_types import (
    ACCESS_CONNECTOR,
    ACCOUNT_NETWORK_POLICY,
    AZURE_WORKSPACE,
    DATABRICKS_PROVIDER,
    DNS_ZONE_GROUP,
    DNS_ZONE_LINK,
    KEY_VAULT,
    NAT_GATEWAY,
    NCC,
    NCC_BINDING,
    NCC_RULE,
    NETWORK_SECURITY_GROUP,
    PRIVATE_DNS_ZONE,
    PRIVATE_ENDPOINT,
    PUBLIC_IP,
    SECURITY_RULE,
    STORAGE_ACCOUNT,
    STORAGE_PE_CONNECTION,
    SUBNET,
    VIRTUAL_NETWORK,
    WORKSPACE_NETWORK_OPTION,
)
from .context import StackContext, holds
from .registry import rule
from .resource import NotYetKnown, Resource
from .trust import Trust

STORAGE = "Microsoft.Storage/storageAccounts"


def _names(trust: Trust) -> NetworkNames | None:
    if trust.network is None:
        return None
    return network_names(trust.network, trust.subscription_id, trust.resource_group)


def _workspace_id(trust: Trust) -> str:
    return arm_id(
        trust.subscription_id,
        trust.resource_group,
        "Microsoft.Databricks/workspaces",
        trust.workspace_name,
    )


def _catalog_storage_id(trust: Trust) -> str:
    return arm_id(trust.subscription_id, trust.resource_group, STORAGE, trust.storage_account)


def _root_storage_id(trust: Trust) -> str:
    """The root storage Azure Databricks creates, under the name the config fixes, in the
    managed resource group (sra dbfs_privatelink.tf computes it the same way)."""
    return arm_id(
        trust.subscription_id,
        trust.managed_resource_group,
        STORAGE,
        trust.workspace_storage_account,
    )


def _has_key_vault(trust: Trust) -> bool:
    """Whether the stack has a Key Vault of its own: the one its customer-managed keys are in."""
    return trust.customer_managed_keys and bool(trust.key_vault)


def _key_vault_id(trust: Trust) -> str:
    return arm_id(
        trust.subscription_id, trust.resource_group, "Microsoft.KeyVault/vaults", trust.key_vault
    )


def _is(
    resource: Resource, path: tuple[str | int, ...], expected: str, source: Resource | None
) -> bool:
    """Whether the ARM id at `path` is `expected`, the literal id the config computes.

    Once known, it is compared with `expected`. While unknown, it is accepted on `holds()`'s
    terms (rules/context.py): only while `source`'s own id is unknown too (a preview before
    the source exists) and the value comes from `source` and from nothing else. An unknown
    value that depends on a source whose id is already known fails closed.
    """
    value = resource.known(*path)
    if value is not None:
        return same_id(value, expected)
    return holds(resource, path, source, "id")


def _is_own_workspace(resource: Resource, stack: StackContext) -> bool:
    """The stack's own workspace, when the judge knows the network it should have."""
    own = stack.own_workspace
    return stack.trust.network is not None and own is not None and resource.urn == own.urn


def _catalog_account(stack: StackContext) -> Resource | None:
    return stack.named(STORAGE_ACCOUNT, "accountName", stack.trust.storage_account)


def _targets(stack: StackContext) -> list[tuple[str, frozenset[str], Resource | None]]:
    """What the stack's endpoints may connect to: (ARM id, sub-resources, its resource)."""
    trust = stack.trust
    targets = [
        (_workspace_id(trust), frozenset({UI_API, BROWSER_AUTHENTICATION}), stack.own_workspace),
        (_catalog_storage_id(trust), frozenset(STORAGE_GROUPS), _catalog_account(stack)),
        (_root_storage_id(trust), frozenset(STORAGE_GROUPS), None),
    ]
    if _has_key_vault(trust):
        vault = stack.named(KEY_VAULT, "vaultName", trust.key_vault)
        targets.append((_key_vault_id(trust), frozenset({VAULT}), vault))
    return targets


def _endpoints_to(
    stack: StackContext, target: str, source: Resource | None, group: str
) -> list[Resource]:
    """The stack's private endpoints that connect to `target` for `group`."""
    found = []
    for endpoint in stack.of_type(PRIVATE_ENDPOINT):
        for index in range(len(endpoint.items("privateLinkServiceConnections"))):
            path = ("privateLinkServiceConnections", index)
            groups = endpoint.known(*path, "groupIds") or []
            if group in groups and _is(endpoint, (*path, "privateLinkServiceId"), target, source):
                found.append(endpoint)
    return found


def _zone_keys(trust: Trust) -> list[str]:
    """The keys of the stack's zones: the workspace's and the storage's, and the vault's where
    the stack has its own Key Vault (and, with the landing zone's zones, the config names it)."""
    existing = trust.network.private_dns_zones if trust.network else None
    vaultcore = _has_key_vault(trust) and (existing is None or existing.vaultcore is not None)
    return [key for key in ZONES if key != VAULTCORE or vaultcore]


def _zone(stack: StackContext, key: str) -> tuple[str, Resource | None]:
    """The id of one of the stack's zones, and the zone resource if the stack creates it."""
    trust, zone_name = stack.trust, ZONES[key]
    existing = trust.network.private_dns_zones if trust.network else None
    if existing is not None:
        return getattr(existing, key), None
    return (
        arm_id(
            trust.subscription_id,
            trust.resource_group,
            "Microsoft.Network/privateDnsZones",
            zone_name,
        ),
        stack.named(PRIVATE_DNS_ZONE, "privateZoneName", zone_name),
    )


def _in_zone(stack: StackContext, endpoint: Resource, key: str) -> bool:
    """Whether a DNS zone group writes `endpoint`'s record into the stack's zone `key`."""
    return bool(_zone_groups(stack, endpoint, key))


def _zone_groups(stack: StackContext, endpoint: Resource, key: str) -> list[Resource]:
    """The DNS zone groups that write `endpoint`'s record into the stack's zone `key`."""
    zone_id, zone = _zone(stack, key)
    found = []
    for group in stack.of_type(DNS_ZONE_GROUP):
        named = group.known("privateEndpointName")
        if not (
            (named is not None and named == endpoint.known("privateEndpointName"))
            or (named is None and holds(group, "privateEndpointName", endpoint, "name"))
        ):
            continue
        configs = group.items("privateDnsZoneConfigs")
        if any(
            _is(group, ("privateDnsZoneConfigs", index, "privateDnsZoneId"), zone_id, zone)
            for index in range(len(configs))
        ):
            found.append(group)
    return found


@rule(
    "workspace-vnet-injected",
    "mandatory",
    "The workspace's compute lives in the declared VNet, in its declared host and container "
    "subnets, and reaches the control plane through a back-end private endpoint "
    "(databricks_ui_api), with required_nsg_rules NoAzureDatabricksRules.",
    "inject the workspace into network.create or network.existing, create its "
    "databricks_ui_api endpoint, and set required_nsg_rules NoAzureDatabricksRules",
    [AZURE_WORKSPACE],
    scope="stack",
)
def workspace_vnet_injected(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not _is_own_workspace(resource, stack):
        return
    names = _names(stack.trust)
    if names is None:
        yield "the config declares no network: set network.create or network.existing"
        return
    vnet = stack.named(VIRTUAL_NETWORK, "virtualNetworkName", names.vnet_name)
    if not _is(resource, ("parameters", "customVirtualNetworkId", "value"), names.vnet_id, vnet):
        yield (
            f"its compute is not in the declared VNet {names.vnet_id}: set "
            "parameters.custom_virtual_network_id to it"
        )
    for key, expected in (
        ("customPublicSubnetName", names.host_subnet),
        ("customPrivateSubnetName", names.container_subnet),
    ):
        value = resource.get("parameters", key, "value")
        if value != expected:
            yield f"parameters.{key} is {value or 'unset'}, not the declared {expected!r}"
    if not _endpoints_to(stack, _workspace_id(stack.trust), stack.own_workspace, UI_API):
        yield (
            "has no back-end private endpoint (databricks_ui_api) in its VNet: its clusters "
            "would reach the control plane over the internet"
        )
    if resource.get("requiredNsgRules") != "NoAzureDatabricksRules":
        # Microsoft Learn's private link decision table: back-end private link goes with
        # "NoAzureDatabricksRules", public front end or not.
        yield (
            f"required_nsg_rules is {resource.get('requiredNsgRules') or 'unset'}: with "
            "back-end private link, set NoAzureDatabricksRules"
        )


@rule(
    "workspace-storage-firewalled",
    "mandatory",
    "The workspace's root (DBFS) storage is behind its firewall, reached by the workspace's "
    "own access connector, under the declared name, with dfs and blob private endpoints.",
    'set default_storage_firewall "Enabled", access_connector to '
    "azure.workspace_access_connector (SystemAssigned), parameters.storage_account_name to "
    "azure.workspace_storage_account, and create its dfs and blob endpoints",
    [AZURE_WORKSPACE],
    scope="stack",
)
def workspace_storage_firewalled(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not _is_own_workspace(resource, stack):
        return
    trust = stack.trust
    if resource.get("defaultStorageFirewall") != "Enabled":
        yield (
            'the root storage\'s firewall is off: set default_storage_firewall "Enabled", or '
            "anyone with its address reaches it"
        )
    connector_id = arm_id(
        trust.subscription_id,
        trust.resource_group,
        "Microsoft.Databricks/accessConnectors",
        trust.workspace_access_connector,
    )
    connector = stack.named(ACCESS_CONNECTOR, "connectorName", trust.workspace_access_connector)
    if not _is(resource, ("accessConnector", "id"), connector_id, connector):
        yield (
            f"its access connector is {resource.known('accessConnector', 'id') or 'unset'}, "
            f"not the declared {connector_id}"
        )
    if resource.get("accessConnector", "identityType") != "SystemAssigned":
        yield "the access connector's identity type is not SystemAssigned"
    name = resource.get("parameters", "storageAccountName", "value")
    if name != trust.workspace_storage_account:
        yield (
            f"its root storage is named {name or 'by Azure'}, not the declared "
            f"{trust.workspace_storage_account!r}: the endpoints need its id in advance"
        )
    for group in STORAGE_GROUPS:
        if not _endpoints_to(stack, _root_storage_id(trust), None, group):
            yield f"its root storage has no {group} private endpoint"


@rule(
    "private-workspace-front-end",
    "mandatory",
    "The workspace's public network access is exactly network.public_network_access; when "
    "Disabled, it has a databricks_ui_api private endpoint "
    "and a browser_authentication one (in the stack, or declared existing in the config), "
    "each with a DNS zone group in privatelink.azuredatabricks.net: its users' only way in.",
    "set public_network_access from network.public_network_access; create the endpoints "
    "with their DNS zone groups (network.browser_authentication.create, or its "
    "existing_private_endpoint_id)",
    [AZURE_WORKSPACE],
    scope="stack",
)
def private_workspace_front_end(resource: Resource, stack: StackContext) -> Iterator[str]:
    if not _is_own_workspace(resource, stack):
        return
    trust = stack.trust
    declared = trust.network.public_network_access if trust.network else None
    actual = resource.get("publicNetworkAccess")
    # Azure's default is Enabled ("publicNetworkAccess ... Enabled, Disabled": azure-native
    # databricks.Workspace.public_network_access; unset leaves the front end public).
    if str(actual or "Enabled").casefold() != str(declared).casefold():
        yield (
            f"public network access is {actual or 'unset (Enabled)'}, but "
            f"network.public_network_access declares {declared}: the front end is the "
            "config's choice, not the program's"
        )
    if str(actual).casefold() != "disabled":
        return
    workspace_id = _workspace_id(trust)
    for group in (UI_API, BROWSER_AUTHENTICATION):
        browser = trust.network.browser_authentication if trust.network else None
        if group == BROWSER_AUTHENTICATION and browser and browser.existing_private_endpoint_id:
            continue
        endpoints = _endpoints_to(stack, workspace_id, stack.own_workspace, group)
        if not any(_in_zone(stack, endpoint, "azuredatabricks") for endpoint in endpoints):
            yield (
                f"public access is Disabled, and no {group} private endpoint with a DNS zone "
                f"group in {ZONES['azuredatabricks']} reaches it: nobody could sign in"
            )


@rule(
    "catalog-storage-private",
    "mandatory",
    "The catalog storage account has no public network access, denies by default, lets no "
    "trusted service through, admits only the declared access connector as a resource "
    "instance (resource instances stay in effect with public access Disabled), and has dfs "
    "and blob private endpoints.",
    'set public_network_access "Disabled", network_rule_set default_action "Deny", bypass '
    '"None", no IP or VNet rules, a resource access rule for azure.access_connector only, '
    "and create the dfs and blob endpoints",
    [STORAGE_ACCOUNT],
    scope="stack",
)
def catalog_storage_private(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if trust.network is None or resource.known("accountName") != trust.storage_account:
        return
    if resource.get("publicNetworkAccess") != "Disabled":
        yield (
            f"public network access is {resource.get('publicNetworkAccess') or 'unset (Enabled)'}"
            ': set public_network_access "Disabled"'
        )
    rules = ("networkRuleSet",)
    if resource.get(*rules, "defaultAction") != "Deny":
        yield 'the network rule set does not deny by default: set default_action "Deny"'
    if resource.get(*rules, "bypass") != "None":
        yield (
            f"the network rule set lets {resource.get(*rules, 'bypass') or 'AzureServices'} "
            'through: set bypass "None"'
        )
    for key in ("ipRules", "virtualNetworkRules"):
        if resource.items(*rules, key):
            yield f"the network rule set has {key}: the account has no public endpoint to open"
    access = resource.items(*rules, "resourceAccessRules")
    for index in range(len(access)):
        path = (*rules, "resourceAccessRules", index)
        if not _is(
            resource, (*path, "resourceId"), trust.access_connector_id, stack.access_connector
        ):
            yield (
                f"admits the resource {resource.known(*path, 'resourceId')!r}: only the declared "
                "access connector"
            )
        if resource.get(*path, "tenantId") != trust.tenant_id:
            yield f"a resource access rule names the tenant {resource.get(*path, 'tenantId')!r}"
    for group in STORAGE_GROUPS:
        if not _endpoints_to(stack, _catalog_storage_id(trust), resource, group):
            yield f"has no {group} private endpoint: compute could not reach it"


@rule(
    "key-vault-private",
    "mandatory",
    "With network.public_network_access Disabled, the estate's Key Vault takes no traffic "
    "from public networks (public network access Disabled) and has a vault private endpoint "
    "with a DNS zone group in privatelink.vaultcore.azure.net: only the VNet, and the trusted "
    "Azure services that use its keys (Azure Databricks, disk encryption sets, storage), "
    "reach it.",
    'set the vault\'s properties.public_network_access "Disabled" and create its vault '
    "private endpoint with a DNS zone group in privatelink.vaultcore.azure.net",
    [KEY_VAULT],
    scope="stack",
)
def key_vault_private(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    network = trust.network
    if (
        network is None
        or not private_key_vault(network, trust.customer_managed_keys)
        or resource.known("vaultName") != trust.key_vault
    ):
        return
    access = resource.get("properties", "publicNetworkAccess")
    # Unset is 'enabled' (VaultPropertiesArgs.public_network_access); the API reads the value
    # without regard to case ('disabled' in its description, Disabled in the Azure CLI).
    if str(access or "enabled").casefold() != "disabled":
        yield (
            f"public network access is {access or 'unset (enabled)'}, while the workspace is "
            'private: set properties.public_network_access "Disabled"'
        )
    endpoints = _endpoints_to(stack, _key_vault_id(trust), resource, VAULT)
    if not any(_in_zone(stack, endpoint, VAULTCORE) for endpoint in endpoints):
        yield (
            f"no vault private endpoint with a DNS zone group in {ZONES[VAULTCORE]} reaches "
            "it: nothing in the VNet could"
        )


@rule(
    "workspace-subnets-delegated",
    "mandatory",
    "The workspace's host and container subnets that the stack creates are delegated to "
    "Microsoft.Databricks/workspaces, with the stack's NSG and NAT gateway.",
    "create both subnets with the delegation, network_security_group and nat_gateway",
    [SUBNET, AZURE_WORKSPACE],
    scope="stack",
)
def workspace_subnets_delegated(resource: Resource, stack: StackContext) -> Iterator[str]:
    names = _names(stack.trust)
    if names is None or not names.created:
        return
    workspace_subnets = (names.host_subnet, names.container_subnet)
    if resource.type == AZURE_WORKSPACE:
        if _is_own_workspace(resource, stack):
            for name in workspace_subnets:
                if stack.named(SUBNET, "subnetName", name) is None:
                    yield f"the stack creates the VNet but not its subnet {name!r}"
        return
    if resource.known("subnetName") not in workspace_subnets:
        return
    if not any(
        resource.get("delegations", index, "serviceName") == DATABRICKS_DELEGATION
        for index in range(len(resource.items("delegations")))
    ):
        yield f"is not delegated to {DATABRICKS_DELEGATION}"
    trust = stack.trust
    for key, kind, name, label in (
        ("networkSecurityGroup", NETWORK_SECURITY_GROUP, names.nsg_name, "NSG"),
        ("natGateway", NAT_GATEWAY, names.nat_gateway_name, "NAT gateway"),
    ):
        provider_type = (
            "Microsoft.Network/networkSecurityGroups"
            if kind == NETWORK_SECURITY_GROUP
            else "Microsoft.Network/natGateways"
        )
        expected = arm_id(trust.subscription_id, trust.resource_group, provider_type, name)
        source = stack.named(kind, f"{key}Name", name)
        if not _is(resource, (key, "id"), expected, source):
            yield (
                f"its {label} is {resource.known(key, 'id') or 'unset'}, not the stack's {name!r}"
            )


@rule(
    "virtual-network-declared",
    "mandatory",
    "The stack creates a VNet only as network.create declares it (its name and address space, "
    "no inline subnets or peerings) and subnets only in it, with the declared prefixes; with "
    "network.existing it creates neither.",
    "declare the network in network.create; a landing zone's VNet is network.existing",
    [VIRTUAL_NETWORK, SUBNET],
)
def virtual_network_declared(resource: Resource, trust: Trust) -> Iterator[str]:
    names = _names(trust)
    created = trust.network.create if trust.network else None
    if names is None or created is None:
        yield "the config creates no network (network.existing): the landing zone owns it"
        return
    if resource.type == VIRTUAL_NETWORK:
        if resource.get("virtualNetworkName") != created.name:
            yield f"a VNet named {resource.get('virtualNetworkName')!r}, not {created.name!r}"
        prefixes = resource.items("addressSpace", "addressPrefixes")
        if prefixes != [created.address_space]:
            yield f"its address space is {prefixes}, not [{created.address_space!r}]"
        for key in ("subnets", "virtualNetworkPeerings"):
            if resource.items(key):
                yield f"declares {key} inline: no rule reviews them there"
        return
    if resource.get("virtualNetworkName") != created.name:
        yield f"a subnet of {resource.get('virtualNetworkName')!r}, not of {created.name!r}"
    declared = {
        names.host_subnet: created.host_subnet,
        names.container_subnet: created.container_subnet,
        names.endpoint_subnet: created.private_endpoint_subnet,
    }
    name = resource.get("subnetName")
    prefix = resource.get("addressPrefix")
    if declared.get(name) != prefix:
        yield f"the subnet {name!r} ({prefix}) is not one network.create declares"


@rule(
    "security-rules-no-inbound-internet",
    "mandatory",
    "An NSG rule allows inbound traffic only from VirtualNetwork, AzureLoadBalancer or address "
    "ranges inside the declared VNet (never *, Internet, AzureCloud or another service tag, "
    "whatever their case); NSG rules are standalone SecurityRule resources, never inline.",
    "remove the rule, or allow only VirtualNetwork, AzureLoadBalancer or the VNet's ranges; "
    "declare NSG rules as network.SecurityRule",
    [SECURITY_RULE, NETWORK_SECURITY_GROUP],
)
def security_rules_no_inbound_internet(resource: Resource, trust: Trust) -> Iterator[str]:
    created = trust.network.create if trust.network else None
    space = created.address_space if created else None
    if resource.type == NETWORK_SECURITY_GROUP:
        rules = resource.items("securityRules")
        if rules:
            # "Do not mix inline and standalone resource as they will conflict with each other,
            # leading to resources deletion" (NetworkSecurityGroup.security_rules).
            yield "declares security rules inline, where they fight the standalone ones"
        for index in range(len(rules)):
            yield from _inbound_allowed(resource, ("securityRules", index), space)
        return
    yield from _inbound_allowed(resource, (), space)


def _inbound_allowed(
    resource: Resource, path: tuple[str | int, ...], space: str | None
) -> Iterator[str]:
    """An inbound Allow rule's sources, against the allow-list. Azure reads the enums without
    regard to case (a lowercase "inbound" is accepted), so they are compared case-folded;
    an unknown direction or access counts as inbound Allow."""
    direction = resource.get(*path, "direction", default="Inbound")
    access = resource.get(*path, "access", default="Allow")
    if str(direction).casefold() != "inbound" or str(access).casefold() != "allow":
        return
    sources = [
        resource.get(*path, "sourceAddressPrefix"),
        *resource.items(*path, "sourceAddressPrefixes"),
    ]
    opened = [str(s) for s in sources if s is not None and not is_inbound_source(str(s), space)]
    if opened:
        yield (
            f"allows inbound traffic from {', '.join(opened)}: the workspace has no open ports; "
            f"only VirtualNetwork, AzureLoadBalancer or ranges inside {space or 'the VNet'}"
        )


@rule(
    "public-ips-only-for-nat-gateway",
    "mandatory",
    "A public IP address is the stack's NAT gateway's (Standard, static): the clusters' egress "
    "address, never a way in; the NAT gateway uses only the stack's public IPs.",
    "remove the public IP, or use it only on the NAT gateway",
    [PUBLIC_IP, NAT_GATEWAY],
    scope="stack",
)
def public_ips_only_for_nat_gateway(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    addresses = stack.of_type(PUBLIC_IP)

    def address_id(address: Resource) -> str:
        return arm_id(
            trust.subscription_id,
            trust.resource_group,
            "Microsoft.Network/publicIPAddresses",
            str(address.known("publicIpAddressName")),
        )

    if resource.type == NAT_GATEWAY:
        if resource.items("publicIpPrefixes"):
            yield "uses public IP prefixes: only the stack's public IP addresses"
        for index in range(len(resource.items("publicIpAddresses"))):
            path = ("publicIpAddresses", index, "id")
            if not any(_is(resource, path, address_id(a), a) for a in addresses):
                yield f"uses the public IP {resource.known(*path)!r}, not one of the stack's"
        return
    if (
        resource.get("sku", "name") != "Standard"
        or resource.get("publicIPAllocationMethod") != "Static"
    ):
        yield "is not a Standard, static address, as a NAT gateway takes"
    used = any(
        _is(gateway, ("publicIpAddresses", index, "id"), address_id(resource), resource)
        for gateway in stack.of_type(NAT_GATEWAY)
        for index in range(len(gateway.items("publicIpAddresses")))
    )
    if not used:
        yield "no NAT gateway of the stack uses it: a public IP on anything else is a way in"


@rule(
    "private-endpoints-own-targets",
    "mandatory",
    "Private endpoints connect, automatically (never by manual request), only to the stack's "
    "own workspace (databricks_ui_api, browser_authentication), its catalog storage and its "
    "root storage (dfs, blob) and its own Key Vault (vault), from the declared endpoints' "
    "subnet: an endpoint to another environment's storage or vault is a way for data out.",
    "connect endpoints only to the own workspace, storage accounts and Key Vault, in the "
    "endpoints' subnet",
    [PRIVATE_ENDPOINT],
    scope="stack",
)
def private_endpoints_own_targets(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.items("manualPrivateLinkServiceConnections"):
        yield "requests a manual connection: the estate's endpoints connect to its own resources"
    targets = _targets(stack)
    for index in range(len(resource.items("privateLinkServiceConnections"))):
        path = ("privateLinkServiceConnections", index)
        groups = set(resource.items(*path, "groupIds"))
        if not any(
            groups
            and groups <= allowed
            and _is(resource, (*path, "privateLinkServiceId"), target, source)
            for target, allowed, source in targets
        ):
            yield (
                f"connects to {resource.known(*path, 'privateLinkServiceId') or 'an unknown id'} "
                f"({', '.join(sorted(groups)) or 'no sub-resource'}): only the stack's own "
                "workspace, storage accounts and Key Vault"
            )
    names = _names(stack.trust)
    if names is None:
        return
    subnet = stack.named(SUBNET, "subnetName", names.endpoint_subnet)
    if not _is(resource, ("subnet", "id"), names.endpoint_subnet_id, subnet):
        yield (
            f"takes its address from {resource.known('subnet', 'id') or 'an unknown subnet'}, "
            f"not the declared {names.endpoint_subnet_id}"
        )


@rule(
    "private-dns-own-zones",
    "mandatory",
    "The stack creates only the privatelink zones its endpoints need (none where the config "
    "names existing zones), links them only to its own VNet without auto-registration, and "
    "writes DNS records only for its own endpoints into its own zones.",
    "link zones only to the declared VNet; put zone groups only on the stack's endpoints",
    [PRIVATE_DNS_ZONE, DNS_ZONE_LINK, DNS_ZONE_GROUP],
    scope="stack",
)
def private_dns_own_zones(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    keys = _zone_keys(trust)
    zone_names = {ZONES[key] for key in keys}
    if resource.type == PRIVATE_DNS_ZONE:
        if resource.get("privateZoneName") not in zone_names:
            yield f"the zone {resource.get('privateZoneName')!r} is not one the endpoints use"
        if trust.network and trust.network.private_dns_zones:
            yield "the config names existing zones (network.private_dns_zones): create none"
        return
    if resource.type == DNS_ZONE_LINK:
        names = _names(trust)
        vnet = (
            stack.named(VIRTUAL_NETWORK, "virtualNetworkName", names.vnet_name) if names else None
        )
        if names is None or not _is(resource, ("virtualNetwork", "id"), names.vnet_id, vnet):
            yield (
                f"links the zone to {resource.known('virtualNetwork', 'id') or 'an unknown VNet'}"
                ": only the declared VNet resolves the stack's endpoints"
            )
        if resource.get("registrationEnabled") is True:
            yield "registers the VNet's machines in the zone: set registration_enabled False"
        if resource.get("privateZoneName") not in zone_names:
            yield f"links the zone {resource.get('privateZoneName')!r}, not one of the stack's"
        return
    endpoint_name = resource.known("privateEndpointName")
    if not any(
        (endpoint_name is not None and endpoint_name == endpoint.known("privateEndpointName"))
        or (endpoint_name is None and holds(resource, "privateEndpointName", endpoint, "name"))
        for endpoint in stack.of_type(PRIVATE_ENDPOINT)
    ):
        yield f"writes the record of {endpoint_name!r}, not an endpoint of the stack"
    zones = [_zone(stack, key) for key in keys]
    for index in range(len(resource.items("privateDnsZoneConfigs"))):
        path = ("privateDnsZoneConfigs", index, "privateDnsZoneId")
        if not any(_is(resource, path, zone_id, zone) for zone_id, zone in zones):
            yield f"writes into the zone {resource.known(*path)!r}, not one of the stack's"


def _own_ncc(stack: StackContext) -> Resource | None:
    trust = stack.trust
    return stack.named(NCC, "name", ncc_name(trust.environment, trust.location))


def _of_own_ncc(resource: Resource, stack: StackContext) -> bool:
    return holds(
        resource, "networkConnectivityConfigId", _own_ncc(stack), "networkConnectivityConfigId"
    )


@rule(
    "pe-approvals-own-ncc",
    "mandatory",
    "The stack approves private endpoint connections only on its catalog storage account, "
    "and only those of its own NCC's private endpoint rules: an approval lets the endpoint's "
    "owner into the storage.",
    "approve only the connections of the stack's NCC rules on the catalog storage",
    [STORAGE_PE_CONNECTION],
    scope="stack",
)
def pe_approvals_own_ncc(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if (
        resource.get("accountName") != trust.storage_account
        or resource.get("resourceGroupName") != trust.resource_group
    ):
        yield (
            f"approves a connection on {resource.get('accountName')!r}: only on the catalog "
            f"storage account {trust.storage_account!r}"
        )
        return
    if resource.get("privateLinkServiceConnectionState", "status") != "Approved":
        return
    endpoint = resource.get("privateEndpoint", "id")
    if endpoint is None:
        raise NotYetKnown("privateEndpoint.id")
    name = private_endpoint_name(str(endpoint))
    catalog = _catalog_account(stack)
    rules = [
        str(rule_.known("endpointName"))
        for rule_ in stack.of_type(NCC_RULE)
        if _of_own_ncc(rule_, stack)
        and _is(rule_, ("resourceId",), _catalog_storage_id(trust), catalog)
        and rule_.known("endpointName")
    ]
    # The endpoint's own name, exactly, is the rule's endpoint_name, in Databricks' form:
    # a name that merely ends like it, or an id of anything but a private endpoint, is not.
    if name is None or not is_ncc_endpoint_name(name) or rules.count(name) != 1:
        yield (
            f"approves the private endpoint {endpoint}, which is no private endpoint rule's "
            "of the stack's NCC"
        )
        return
    twins = [
        other.name
        for other in stack.of_type(STORAGE_PE_CONNECTION)
        if other.urn != resource.urn
        and private_endpoint_name(str(other.known("privateEndpoint", "id") or "")) == name
    ]
    if twins:
        yield (
            f"approves {name} a second time (also {', '.join(sorted(twins))}): a rule's "
            "endpoint is approved once, and two endpoints of one name are one too many"
        )


@rule(
    "ncc-own-resources",
    "mandatory",
    "The stack's network connectivity configuration is the declared one, in the workspace's "
    "region, with no inline rules; its private endpoint rules reach only the catalog storage "
    "(dfs, blob).",
    "keep one NCC in azure.location; give it standalone rules to the catalog storage only",
    [NCC, NCC_RULE],
    scope="stack",
)
def ncc_own_resources(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust = stack.trust
    if resource.type == NCC:
        expected = ncc_name(trust.environment, trust.location)
        if resource.get("name") != expected:
            yield f"an NCC named {resource.get('name')!r}, not the stack's {expected!r}"
        if resource.get("region") != trust.location:
            yield f"its region is {resource.get('region')!r}, not {trust.location!r}"
        if resource.get("egressConfig", "targetRules"):
            yield "declares target rules inline: no rule reviews them there"
        return
    if not _of_own_ncc(resource, stack):
        yield "is a rule of another NCC than the stack's"
    if not _is(resource, ("resourceId",), _catalog_storage_id(trust), _catalog_account(stack)):
        yield (
            f"reaches {resource.known('resourceId') or 'an unknown resource'}: only the catalog "
            "storage account"
        )
    if resource.get("groupId") not in STORAGE_GROUPS:
        yield f"its group_id is {resource.get('groupId')!r}: only dfs or blob"
    for key in ("domainNames", "resourceNames", "endpointService"):
        if resource.get(key):
            yield f"sets {key}, which reaches beyond the catalog storage"


def _binds_own_workspace(resource: Resource, stack: StackContext) -> bool:
    return holds(resource, "workspaceId", stack.own_workspace, "workspaceId")


@rule(
    "workspace-bound-to-ncc",
    "mandatory",
    "The workspace is bound to the stack's NCC, and the stack binds no other workspace to it: "
    "a bound workspace's serverless compute reaches the NCC's private endpoints.",
    "bind the own workspace to the stack's NCC with MwsNccBinding; bind nothing else",
    [AZURE_WORKSPACE, NCC_BINDING],
    scope="stack",
)
def workspace_bound_to_ncc(resource: Resource, stack: StackContext) -> Iterator[str]:
    if resource.type == AZURE_WORKSPACE:
        if _is_own_workspace(resource, stack) and not any(
            _binds_own_workspace(binding, stack) and _of_own_ncc(binding, stack)
            for binding in stack.of_type(NCC_BINDING)
        ):
            yield "is not bound to the stack's NCC: serverless compute cannot reach the storage"
        return
    if not _binds_own_workspace(resource, stack):
        yield (
            f"binds the workspace {resource.known('workspaceId') or 'unknown'}: only the "
            "stack's own"
        )
    if not _of_own_ncc(resource, stack):
        yield "binds another NCC than the stack's"


@rule(
    "serverless-egress-restricted",
    "mandatory",
    "The stack's network policy restricts serverless egress (RESTRICTED_ACCESS, enforced) to "
    "the config's DNS names and Unity Catalog's locations, and is its own, never the "
    "account's default-policy.",
    "set restriction_mode RESTRICTED_ACCESS, list destinations in "
    "network.serverless_egress, and leave default-policy alone",
    [ACCOUNT_NETWORK_POLICY],
)
def serverless_egress_restricted(resource: Resource, trust: Trust) -> Iterator[str]:
    policy_id = resource.get("networkPolicyId")
    if policy_id == DEFAULT_NETWORK_POLICY:
        yield (
            "changes the account's default-policy, which every workspace without a policy of "
            "its own follows, other environments' too"
        )
    elif policy_id != network_policy_id(trust.workspace_name):
        yield f"a policy named {policy_id!r}, not {network_policy_id(trust.workspace_name)!r}"
    access = ("egress", "networkAccess")
    if resource.get(*access, "restrictionMode") != RESTRICTED_ACCESS:
        yield (
            f"egress is {resource.get(*access, 'restrictionMode') or 'unset'}: set "
            f"{RESTRICTED_ACCESS}"
        )
    allowed = set(
        trust.network.serverless_egress.allowed_internet_destinations if trust.network else ()
    )
    for index in range(len(resource.items(*access, "allowedInternetDestinations"))):
        path = (*access, "allowedInternetDestinations", index)
        destination = resource.get(*path, "destination")
        if destination not in allowed or resource.get(*path, "internetDestinationType") != DNS_NAME:
            yield f"allows {destination!r}, which network.serverless_egress does not list"
    for key in ("allowedStorageDestinations", "allowedDatabricksDestinations"):
        if resource.items(*access, key):
            yield f"allows {key}: Unity Catalog's locations are allowed without them"
    mode = resource.get(*access, "policyEnforcement", "enforcementMode", default=ENFORCED)
    if mode != ENFORCED:
        yield f"enforcement is {mode}: it only logs; set ENFORCED"
    # "When non-empty, it means dry run for specific products" (AccountNetworkPolicy
    # policy_enforcement.dry_run_mode_product_filters): those products' egress only logs.
    if resource.items(*access, "policyEnforcement", "dryRunModeProductFilters"):
        yield "sets dryRunModeProductFilters: those products' egress would only be logged"
    # "The network policies applying for ingress traffic" and "The ingress policy for dry run
    # mode" (AccountNetworkPolicy.ingress, .ingress_dry_run): the workspace's front end is the
    # Azure private link's, declared in network.public_network_access, not this policy's.
    for key in ("ingress", "ingressDryRun"):
        if resource.get(key):
            yield f"sets {key}: the front end is network.public_network_access's, not the policy's"


@rule(
    "network-option-own-workspace",
    "mandatory",
    "The workspace follows the stack's network policy, and the stack sets no other "
    "workspace's network option.",
    "link the own workspace to the stack's policy with WorkspaceNetworkOption; no other",
    [WORKSPACE_NETWORK_OPTION, AZURE_WORKSPACE],
    scope="stack",
)
def network_option_own_workspace(resource: Resource, stack: StackContext) -> Iterator[str]:
    expected = network_policy_id(stack.trust.workspace_name)
    policy = stack.named(ACCOUNT_NETWORK_POLICY, "networkPolicyId", expected)

    def follows_own_policy(option: Resource) -> bool:
        value = option.known("networkPolicyId")
        if value is None:
            return holds(option, "networkPolicyId", policy, "networkPolicyId")
        return value == expected and policy is not None

    if resource.type == AZURE_WORKSPACE:
        if _is_own_workspace(resource, stack) and not any(
            _binds_own_workspace(option, stack) and follows_own_policy(option)
            for option in stack.of_type(WORKSPACE_NETWORK_OPTION)
        ):
            yield f"does not follow the stack's network policy {expected!r}"
        return
    if not _binds_own_workspace(resource, stack):
        yield (
            f"sets the network option of the workspace {resource.known('workspaceId')}: only "
            "the stack's own"
        )
    if not follows_own_policy(resource):
        value = resource.known("networkPolicyId")
        yield (
            f"links the policy {value!r}, not {expected!r}"
            if value != expected
            else f"links the policy {expected!r}, which the stack declares other than once"
        )


@rule(
    "workspace-provider-after-private-link",
    "mandatory",
    "With public network access Disabled, the workspace-level Databricks provider waits for "
    "the databricks_ui_api endpoint's DNS zone group and, where the stack creates the zone, "
    "its link to the VNet: before them, the runner in the VNet resolves the workspace to its "
    "public address, which refuses it, and every workspace-level resource fails.",
    "make the workspace provider depend on the databricks_ui_api PrivateDnsZoneGroup and the "
    "privatelink.azuredatabricks.net VirtualNetworkLink",
    [DATABRICKS_PROVIDER],
    scope="stack",
)
def workspace_provider_after_private_link(resource: Resource, stack: StackContext) -> Iterator[str]:
    trust, own = stack.trust, stack.own_workspace
    network = trust.network
    if network is None or own is None or network.public_network_access != "Disabled":
        return
    if not _is(resource, ("azureWorkspaceResourceId",), _workspace_id(trust), own):
        return  # the account provider, or another workspace's (closed_world.py judges those)
    waits = stack.waits_for(resource.urn)
    groups = [
        group
        for endpoint in _endpoints_to(stack, _workspace_id(trust), own, UI_API)
        for group in _zone_groups(stack, endpoint, "azuredatabricks")
    ]
    if not any(group.urn in waits for group in groups):
        yield (
            "does not wait for the databricks_ui_api endpoint's DNS zone group: the workspace "
            "would not resolve privately yet"
        )
    _, zone = _zone(stack, "azuredatabricks")
    if zone is None:
        return  # the landing zone's zone, linked to its networks by its owner
    names = _names(trust)
    vnet = stack.named(VIRTUAL_NETWORK, "virtualNetworkName", names.vnet_name) if names else None
    links = [
        link
        for link in stack.of_type(DNS_ZONE_LINK)
        if link.known("privateZoneName") == ZONES["azuredatabricks"]
        and names is not None
        and _is(link, ("virtualNetwork", "id"), names.vnet_id, vnet)
    ]
    if not any(link.urn in waits for link in links):
        yield (
            f"does not wait for {ZONES['azuredatabricks']}'s link to the VNet: the runner "
            "there would not resolve the workspace privately yet"
        )
