"""The environment's private network, composed from the network components.

In order: the network the workspace joins (before the workspace), then the private
endpoints of the workspace, of both storage accounts and, where its keys are private, of the
Key Vault, with their DNS, and serverless compute's NCC and egress policy (after it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from ..components.azure.catalog_storage import CatalogStorageAccount
from ..components.azure.keys import CustomerManagedKeys
from ..components.azure.network import CreatedNetworkArgs, WorkspaceNetwork, WorkspaceNetworkArgs
from ..components.azure.private_link import EndpointArgs, PrivateLink, PrivateLinkArgs
from ..components.azure.workspace import AzureWorkspace, StorageFirewallArgs, VnetInjectionArgs
from ..components.workspace.serverless import ServerlessNetwork, ServerlessNetworkArgs
from ..config import EstateConfig
from ..config.network import ncc_name, network_names, network_policy_id, private_key_vault
from ..vocabulary.network import (
    BROWSER_AUTHENTICATION,
    STORAGE_GROUPS,
    UI_API,
    VAULT,
    NetworkNames,
)


@dataclass(frozen=True)
class JoinedNetwork:
    """The network, and how the workspace joins it."""

    names: NetworkNames
    network: WorkspaceNetwork
    vnet_injection: VnetInjectionArgs
    storage_firewall: StorageFirewallArgs


def join_network(
    name: str,
    config: EstateConfig,
    resource_group_name: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> JoinedNetwork:
    """Create the network or name the existing one; the workspace joins it with back-end
    private link (the `databricks_ui_api` endpoint `private_network` creates)."""
    azure = config.azure
    names = network_names(config.network, azure.subscription_id, azure.resource_group)
    assert names is not None  # the config requires network.create or network.existing
    created = config.network.create
    network = WorkspaceNetwork(
        f"{name}-network",
        WorkspaceNetworkArgs(
            names=names,
            resource_group_name=resource_group_name,
            location=azure.location,
            tags=tags,
            created=CreatedNetworkArgs(
                address_space=created.address_space,
                host_subnet=created.host_subnet,
                container_subnet=created.container_subnet,
                private_endpoint_subnet=created.private_endpoint_subnet,
            )
            if created
            else None,
        ),
        opts=opts,
    )
    return JoinedNetwork(
        names=names,
        network=network,
        vnet_injection=VnetInjectionArgs(
            virtual_network_id=network.vnet_id,
            host_subnet=names.host_subnet,
            container_subnet=names.container_subnet,
            back_end_private_link=True,
            after=network.ready,
        ),
        storage_firewall=StorageFirewallArgs(
            storage_account_name=azure.workspace_storage_account,
            access_connector_name=azure.workspace_access_connector,
        ),
    )


def private_endpoints(
    name: str,
    config: EstateConfig,
    joined: JoinedNetwork,
    workspace: AzureWorkspace,
    storage: CatalogStorageAccount,
    keys: CustomerManagedKeys | None,
    resource_group_name: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> PrivateLink:
    """The workspace's endpoints (front and back end, and web authentication when this stack
    creates it), dfs and blob endpoints for the catalog storage and the root storage, and the
    Key Vault's endpoint when it is private."""
    network = config.network
    workspace_name = config.azure.workspace
    endpoints = [
        EndpointArgs(
            "workspace-ui-api",
            "workspace",
            f"pe-{workspace_name}-ui-api",
            workspace.resource_id,
            UI_API,
        )
    ]
    browser = network.browser_authentication
    if network.public_network_access == "Disabled" and browser is not None and browser.create:
        endpoints.append(
            EndpointArgs(
                "workspace-browser-authentication",
                "workspace",
                f"pe-{workspace_name}-browser-authentication",
                workspace.resource_id,
                BROWSER_AUTHENTICATION,
            )
        )
    for group in STORAGE_GROUPS:
        endpoints.append(
            EndpointArgs(
                f"catalog-storage-{group}",
                "catalog-storage",
                f"pe-{config.azure.storage_account}-{group}",
                storage.account_id,
                group,
            )
        )
    assert workspace.root_storage_id is not None
    for group in STORAGE_GROUPS:
        # The root storage's id is known from the config; it exists once the workspace does.
        endpoints.append(
            EndpointArgs(
                f"root-storage-{group}",
                "root-storage",
                f"pe-{config.azure.workspace_storage_account}-{group}",
                workspace.root_storage_id,
                group,
                after=[workspace.workspace],
            )
        )
    if keys is not None and private_key_vault(network, config.customer_managed_keys):
        endpoints.append(
            EndpointArgs(
                "key-vault",
                "key-vault",
                f"pe-{config.encryption.key_vault}-vault",
                keys.vault.id,
                VAULT,
            )
        )
    zones = network.private_dns_zones
    return PrivateLink(
        f"{name}-private-link",
        PrivateLinkArgs(
            names=joined.names,
            vnet_id=joined.network.vnet_id,
            endpoint_subnet_id=joined.network.endpoint_subnet_id,
            resource_group_name=resource_group_name,
            location=config.azure.location,
            tags=tags,
            endpoints=endpoints,
            existing_zones=(
                {key: zone for key, zone in zones.model_dump().items() if zone} if zones else None
            ),
        ),
        opts=opts,
    )


def front_end_ready(config: EstateConfig, private_link: PrivateLink) -> list[pulumi.Resource]:
    """What the workspace-level Databricks provider waits for when the front end is private:
    the `databricks_ui_api` endpoint's DNS record (its zone group) and, where the stack
    creates the zone, the zone's link to the VNet. Before them, a runner in the VNet resolves
    the workspace's public address, which a workspace with public network access Disabled
    refuses (front-end private link: Microsoft Learn, security/network/classic/
    private-link-standard, and the `databricks_ui_api` row of vocabulary/network.py), and the
    first workspace-level call fails (rule workspace-provider-after-private-link)."""
    if config.network.public_network_access != "Disabled":
        return []
    link = private_link.zone_links.get("azuredatabricks")
    return [private_link.zone_groups["workspace-ui-api"], *([link] if link else [])]


def serverless_network(
    name: str,
    config: EstateConfig,
    workspace: AzureWorkspace,
    storage: CatalogStorageAccount,
    private_link: PrivateLink,
    resource_group_name: pulumi.Input[str],
    account_provider: pulumi.ProviderResource,
    azure_provider: pulumi.ProviderResource,
    opts: pulumi.ResourceOptions,
) -> ServerlessNetwork:
    azure = config.azure
    return ServerlessNetwork(
        f"{name}-serverless-network",
        ServerlessNetworkArgs(
            ncc_name=ncc_name(config.environment, azure.location),
            region=azure.location,
            workspace_id=workspace.workspace_id,
            storage_account_id=storage.account_id,
            storage_account_name=azure.storage_account,
            resource_group_name=resource_group_name,
            network_policy_id=network_policy_id(azure.workspace),
            allowed_internet_destinations=list(
                config.network.serverless_egress.allowed_internet_destinations
            ),
            account_provider=account_provider,
            azure_provider=azure_provider,
            after=[private_link.resources[f"catalog-storage-{group}"] for group in STORAGE_GROUPS],
        ),
        opts=opts,
    )


def network_outputs(
    config: EstateConfig,
    joined: JoinedNetwork,
    private_link: PrivateLink,
    serverless: ServerlessNetwork,
    workspace: AzureWorkspace,
) -> dict[str, object]:
    """The `network` stack output: where the workspace lives, its endpoints and DNS zones, and
    serverless compute's NCC and egress policy."""
    network = config.network
    browser = network.browser_authentication
    return {
        "mode": "create" if joined.names.created else "existing",
        "public_network_access": network.public_network_access,
        "virtual_network_id": joined.network.vnet_id,
        "host_subnet": joined.names.host_subnet,
        "container_subnet": joined.names.container_subnet,
        "private_endpoint_subnet_id": joined.network.endpoint_subnet_id,
        "nat_public_ip_id": joined.network.nat_public_ip,
        "private_endpoints": {key: pe.id for key, pe in private_link.resources.items()},
        "browser_authentication": (
            browser.existing_private_endpoint_id
            if browser and browser.existing_private_endpoint_id
            else private_link.resources["workspace-browser-authentication"].id
            if "workspace-browser-authentication" in private_link.resources
            else None
        ),
        "private_dns_zones": private_link.zones,
        "dns_zones_owned_by": "landing zone" if network.private_dns_zones else "this stack",
        "root_storage_id": workspace.root_storage_id,
        "ncc_id": serverless.ncc_id,
        "ncc_private_endpoint_rules": {
            group: {"endpoint_name": rule.endpoint_name, "connection_state": rule.connection_state}
            for group, rule in serverless.rules.items()
        },
        "network_policy_id": serverless.network_policy_id,
        "serverless_allowed_internet_destinations": list(
            network.serverless_egress.allowed_internet_destinations
        ),
    }
