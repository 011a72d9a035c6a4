"""Network configs that break a rule of VNet injection or private link: (id, stack, change,
key path, words), as test_config's BAD_CONFIGS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Change = Callable[[dict[str, Any]], None]
PREFIX = "mlops-estate:estate.network"
EXISTING_VNET = (
    "/subscriptions/{subscription}/resourceGroups/rg-landing-zone/providers/"
    "Microsoft.Network/virtualNetworks/vnet-spoke"
)


def _network(**changes: Any) -> Change:
    def change(estate: dict[str, Any]) -> None:
        network = estate["network"]
        for key, value in changes.items():
            if value is None:
                network.pop(key, None)
            else:
                network[key] = value

    return change


def _created(**changes: str) -> Change:
    def change(estate: dict[str, Any]) -> None:
        estate["network"]["create"].update(changes)

    return change


def existing(subscription: str, **changes: str) -> dict[str, Any]:
    return {
        "virtual_network_id": EXISTING_VNET.format(subscription=subscription),
        "host_subnet": "snet-dbw-host",
        "container_subnet": "snet-dbw-container",
        "private_endpoint_subnet": "snet-endpoints",
        **changes,
    }


OTHER_SUBSCRIPTION = "99999999-9999-4999-8999-999999999999"
PROD_SUBSCRIPTION = "55555555-5555-4555-8555-555555555555"

NETWORK_CONFIGS: list[tuple[str, str, Change, str, str]] = [
    (
        "vnet-in-another-subscription",
        "prod",
        _network(create=None, existing=existing(OTHER_SUBSCRIPTION)),
        f"{PREFIX}.existing.virtual_network_id",
        "must be in azure.subscription_id",
    ),
    (
        "vnet-id-malformed",
        "prod",
        _network(create=None, existing=existing(PROD_SUBSCRIPTION, virtual_network_id="vnet-1")),
        f"{PREFIX}.existing.virtual_network_id",
        "ARM id",
    ),
    (
        "both-network-modes",
        "prod",
        _network(existing=existing(PROD_SUBSCRIPTION)),
        f"{PREFIX}.create",
        "give exactly one of network.create",
    ),
    (
        "missing-endpoint-subnet",
        "uat",
        lambda estate: estate["network"]["create"].pop("private_endpoint_subnet"),
        f"{PREFIX}.create.private_endpoint_subnet",
        "required key is missing",
    ),
    (
        "missing-existing-endpoint-subnet",
        "prod",
        _network(
            create=None,
            existing={
                k: v
                for k, v in existing(PROD_SUBSCRIPTION).items()
                if k != "private_endpoint_subnet"
            },
        ),
        f"{PREFIX}.existing.private_endpoint_subnet",
        "required key is missing",
    ),
    (
        "subnets-overlap",
        "uat",
        _created(container_subnet="10.20.0.128/25"),
        f"{PREFIX}.create.container_subnet",
        "overlaps network.create.host_subnet (10.20.0.0/24)",
    ),
    (
        "subnet-outside-the-vnet",
        "uat",
        _created(private_endpoint_subnet="10.99.0.0/26"),
        f"{PREFIX}.create.private_endpoint_subnet",
        "lies outside the VNet's 10.20.0.0/22",
    ),
    (
        "workspace-subnet-smaller-than-26",
        "prod",
        _created(host_subnet="10.30.0.0/27"),
        f"{PREFIX}.create.host_subnet",
        "is smaller than /26",
    ),
    (
        "vnet-wider-than-16",
        "uat",
        _created(address_space="10.0.0.0/8"),
        f"{PREFIX}.create.address_space",
        "a workspace's VNet is /16 to /24",
    ),
    (
        "public-address-space",
        "uat",
        _created(address_space="20.20.0.0/22"),
        f"{PREFIX}.create.address_space",
        "a private address range",
    ),
    (
        "private-without-browser-authentication",
        "uat",
        _network(browser_authentication=None),
        f"{PREFIX}.browser_authentication",
        "required when public_network_access is Disabled",
    ),
    (
        "browser-authentication-both-ways",
        "uat",
        _network(
            browser_authentication={
                "create": True,
                "existing_private_endpoint_id": "/subscriptions/11111111-1111-4111-8111-"
                "111111111111/resourceGroups/rg-hub/providers/Microsoft.Network/"
                "privateEndpoints/pe-webauth",
            }
        ),
        f"{PREFIX}.browser_authentication",
        "give exactly one of create: true and existing_private_endpoint_id",
    ),
    (
        "existing-browser-authentication-without-its-zones",
        "uat",
        _network(
            browser_authentication={
                "existing_private_endpoint_id": "/subscriptions/11111111-1111-4111-8111-"
                "111111111111/resourceGroups/rg-hub/providers/Microsoft.Network/"
                "privateEndpoints/pe-webauth",
            }
        ),
        f"{PREFIX}.private_dns_zones",
        "required with browser_authentication.existing_private_endpoint_id",
    ),
    (
        "browser-authentication-on-a-public-front-end",
        "prod",
        _network(public_network_access="Enabled"),
        f"{PREFIX}.browser_authentication",
        "only with public_network_access Disabled",
    ),
    (
        "dns-zone-of-another-name",
        "uat",
        _network(
            private_dns_zones={
                zone: "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/"
                f"rg-dns/providers/Microsoft.Network/privateDnsZones/{name}"
                for zone, name in (
                    ("azuredatabricks", "privatelink.azuredatabricks.net"),
                    ("dfs", "privatelink.blob.core.windows.net"),
                    ("blob", "privatelink.blob.core.windows.net"),
                    ("vaultcore", "privatelink.vaultcore.azure.net"),
                )
            }
        ),
        f"{PREFIX}.private_dns_zones.dfs",
        "not 'privatelink.dfs.core.windows.net'",
    ),
    (
        "egress-to-a-wildcard",
        "prod",
        _network(serverless_egress={"allowed_internet_destinations": ["*.pypi.org"]}),
        f"{PREFIX}.serverless_egress.allowed_internet_destinations[0]",
        "without a wildcard",
    ),
    (
        "one-storage-account-for-both",
        "uat",
        lambda estate: estate["azure"].update(workspace_storage_account="stmlopsuatcatalog"),
        "mlops-estate:estate.azure.workspace_storage_account",
        "must differ from azure.storage_account",
    ),
]
