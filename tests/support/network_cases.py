"""A private workspace's network as the policy tests see it, and ways to change it.

`networked()` is the uat example's network, complete and clean: the VNet with its delegated
subnets, NSG and NAT gateway, the private endpoints with their DNS, the NCC with its
approved rules, and the egress policy. Each case changes, drops or adds resources.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from mlops_estate.config import CONFIG_ROOT
from mlops_estate.config.network import NetworkSettings
from mlops_estate.rules import Resource, Trust
from support.plans import REPO
from support.policy_cases import OWN_WORKSPACE, SUBSCRIPTION, TENANT, environment, resource, trust

RG = "rg-mlops-uat"
PROVIDERS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers"
VNET_ID = f"{PROVIDERS}/Microsoft.Network/virtualNetworks/vnet-mlops-uat"
ENDPOINT_SUBNET_ID = f"{VNET_ID}/subnets/snet-private-endpoints"
NSG_ID = f"{PROVIDERS}/Microsoft.Network/networkSecurityGroups/nsg-vnet-mlops-uat-databricks"
NAT_ID = f"{PROVIDERS}/Microsoft.Network/natGateways/ng-vnet-mlops-uat"
PIP_ID = f"{PROVIDERS}/Microsoft.Network/publicIPAddresses/pip-vnet-mlops-uat-nat"
WORKSPACE_ID = f"{PROVIDERS}/Microsoft.Databricks/workspaces/dbw-mlops-uat"
CATALOG_ID = f"{PROVIDERS}/Microsoft.Storage/storageAccounts/stmlopsuatcatalog"
ROOT_ID = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mlops-uat-databricks-managed/providers/"
    "Microsoft.Storage/storageAccounts/stmlopsuatdbfs"
)
UC_CONNECTOR_ID = f"{PROVIDERS}/Microsoft.Databricks/accessConnectors/ac-mlops-uat"
WS_CONNECTOR_ID = f"{PROVIDERS}/Microsoft.Databricks/accessConnectors/ac-mlops-uat-workspace"
PROD_CATALOG_ID = (
    "/subscriptions/55555555-5555-4555-8555-555555555555/resourceGroups/rg-mlops-prod/providers/"
    "Microsoft.Storage/storageAccounts/stmlopsprodcatalog"
)
ZONE_NAMES = {
    "azuredatabricks": "privatelink.azuredatabricks.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "blob": "privatelink.blob.core.windows.net",
}
NCC_ID = "ncc-1"
# Databricks' names for the NCC rules' private endpoints ("databricks-<uuid>-pe-<hex>":
# MwsNccPrivateEndpointRule.endpoint_name), by sub-resource.
NCC_ENDPOINTS = {
    "dfs": "databricks-088781b3-77fa-4132-b429-1af0d91bc593-pe-3cb31234",
    "blob": "databricks-1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9-pe-0a1b2c3d",
}
POLICY_ID = "dbw-mlops-uat-egress"
# Private endpoints anyone may create in a subscription of their own.
ATTACKER_PES = (
    "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/attacker/providers/"
    "Microsoft.Network/privateEndpoints"
)
NSG_ONLY = (
    "the workspace has no open ports; only VirtualNetwork, AzureLoadBalancer or ranges inside "
    "10.20.0.0/22"
)

VIRTUAL_NETWORK = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
NSG = "azure-native:network:NetworkSecurityGroup"
SECURITY_RULE = "azure-native:network:SecurityRule"
NAT = "azure-native:network:NatGateway"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
ZONE = "azure-native:privatedns:PrivateZone"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
APPROVAL = "azure-native:storage:PrivateEndpointConnection"
NCC = "databricks:index/mwsNetworkConnectivityConfig:MwsNetworkConnectivityConfig"
NCC_BINDING = "databricks:index/mwsNccBinding:MwsNccBinding"
NCC_RULE = "databricks:index/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule"
POLICY_TYPE = "databricks:index/accountNetworkPolicy:AccountNetworkPolicy"
OPTION = "databricks:index/workspaceNetworkOption:WorkspaceNetworkOption"

DELEGATION = [{"name": "d", "serviceName": "Microsoft.Databricks/workspaces"}]


def network_trust() -> Trust:
    """The uat example's trust, with its network."""
    document = yaml.safe_load((REPO / "Pulumi.uat.yaml").read_text())
    network = NetworkSettings.model_validate(document["config"][CONFIG_ROOT]["network"])
    return dataclasses.replace(
        trust("uat"),
        network=network,
        managed_resource_group="rg-mlops-uat-databricks-managed",
        workspace_storage_account="stmlopsuatdbfs",
        workspace_access_connector="ac-mlops-uat-workspace",
        storage_account="stmlopsuatcatalog",
    )


def network_with(**changes: Any) -> NetworkSettings:
    """The uat example's network settings with `changes`."""
    network = network_trust().network
    assert network is not None
    return network.model_copy(update=changes)


def endpoint(name: str, target: str, group: str, subnet_id: str = ENDPOINT_SUBNET_ID) -> Resource:
    return resource(
        PRIVATE_ENDPOINT,
        name,
        privateEndpointName=f"pe-{name}",
        id=f"{PROVIDERS}/Microsoft.Network/privateEndpoints/pe-{name}",
        subnet={"id": subnet_id},
        privateLinkServiceConnections=[
            {"name": name, "privateLinkServiceId": target, "groupIds": [group]}
        ],
    )


def zone_group(endpoint_name: str, zone: str) -> Resource:
    return resource(
        ZONE_GROUP,
        f"{endpoint_name}-dns",
        privateEndpointName=f"pe-{endpoint_name}",
        privateDnsZoneGroupName="default",
        privateDnsZoneConfigs=[
            {
                "name": "z",
                "privateDnsZoneId": f"{PROVIDERS}/Microsoft.Network/privateDnsZones/"
                f"{ZONE_NAMES[zone]}",
            }
        ],
    )


def subnet(name: str, prefix: str, workspace: bool) -> Resource:
    extra = (
        {
            "delegations": DELEGATION,
            "networkSecurityGroup": {"id": NSG_ID},
            "natGateway": {"id": NAT_ID},
        }
        if workspace
        else {}
    )
    return resource(
        SUBNET,
        name,
        virtualNetworkName="vnet-mlops-uat",
        subnetName=name,
        addressPrefix=prefix,
        id=f"{VNET_ID}/subnets/{name}",
        **extra,
    )


def _network() -> list[Resource]:
    endpoints = [
        ("ui-api", WORKSPACE_ID, "databricks_ui_api", "azuredatabricks"),
        ("browser-auth", WORKSPACE_ID, "browser_authentication", "azuredatabricks"),
        ("catalog-dfs", CATALOG_ID, "dfs", "dfs"),
        ("catalog-blob", CATALOG_ID, "blob", "blob"),
        ("root-dfs", ROOT_ID, "dfs", "dfs"),
        ("root-blob", ROOT_ID, "blob", "blob"),
    ]
    return [
        resource(
            "azure-native:databricks:AccessConnector",
            "ws-connector",
            connectorName="ac-mlops-uat-workspace",
            id=WS_CONNECTOR_ID,
            identity={"type": "SystemAssigned", "principalId": "p"},
        ),
        resource(
            "azure-native:storage:StorageAccount",
            "catalog-account",
            accountName="stmlopsuatcatalog",
            id=CATALOG_ID,
            enableHttpsTrafficOnly=True,
            minimumTlsVersion="TLS1_2",
            allowBlobPublicAccess=False,
            allowSharedKeyAccess=False,
            publicNetworkAccess="Disabled",
            networkRuleSet={
                "defaultAction": "Deny",
                "bypass": "None",
                "resourceAccessRules": [{"resourceId": UC_CONNECTOR_ID, "tenantId": TENANT}],
            },
        ),
        resource(
            VIRTUAL_NETWORK,
            "vnet",
            virtualNetworkName="vnet-mlops-uat",
            addressSpace={"addressPrefixes": ["10.20.0.0/22"]},
            id=VNET_ID,
        ),
        resource(NSG, "nsg", networkSecurityGroupName="nsg-vnet-mlops-uat-databricks", id=NSG_ID),
        resource(
            SECURITY_RULE,
            "allow-aad",
            networkSecurityGroupName="nsg-vnet-mlops-uat-databricks",
            securityRuleName="AllowAAD",
            direction="Outbound",
            access="Allow",
            sourceAddressPrefix="VirtualNetwork",
            destinationAddressPrefix="AzureActiveDirectory",
        ),
        resource(
            PUBLIC_IP,
            "nat-ip",
            publicIpAddressName="pip-vnet-mlops-uat-nat",
            sku={"name": "Standard", "tier": "Regional"},
            publicIPAllocationMethod="Static",
            id=PIP_ID,
        ),
        resource(
            NAT,
            "nat",
            natGatewayName="ng-vnet-mlops-uat",
            sku={"name": "Standard"},
            publicIpAddresses=[{"id": PIP_ID}],
            id=NAT_ID,
        ),
        subnet("snet-databricks-host", "10.20.0.0/24", True),
        subnet("snet-databricks-container", "10.20.1.0/24", True),
        subnet("snet-private-endpoints", "10.20.2.0/26", False),
        *(
            resource(
                ZONE,
                f"zone-{key}",
                privateZoneName=zone,
                location="global",
                id=f"{PROVIDERS}/Microsoft.Network/privateDnsZones/{zone}",
            )
            for key, zone in ZONE_NAMES.items()
        ),
        *(
            resource(
                ZONE_LINK,
                f"zone-{key}-link",
                privateZoneName=zone,
                location="global",
                virtualNetwork={"id": VNET_ID},
                registrationEnabled=False,
            )
            for key, zone in ZONE_NAMES.items()
        ),
        *(endpoint(name, target, group) for name, target, group, _ in endpoints),
        *(zone_group(name, zone) for name, _, _, zone in endpoints),
        resource(
            NCC,
            "ncc",
            name="ncc-uat-westeurope",
            region="westeurope",
            networkConnectivityConfigId=NCC_ID,
        ),
        resource(
            NCC_BINDING,
            "ncc-binding",
            networkConnectivityConfigId=NCC_ID,
            workspaceId=OWN_WORKSPACE,
        ),
        *(
            resource(
                NCC_RULE,
                f"ncc-{group}",
                networkConnectivityConfigId=NCC_ID,
                resourceId=CATALOG_ID,
                groupId=group,
                endpointName=NCC_ENDPOINTS[group],
            )
            for group in ("dfs", "blob")
        ),
        *(
            resource(
                APPROVAL,
                f"approve-{group}",
                accountName="stmlopsuatcatalog",
                resourceGroupName=RG,
                privateEndpointConnectionName=f"stmlopsuatcatalog.{group}",
                privateLinkServiceConnectionState={"status": "Approved"},
                privateEndpoint={
                    "id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/"
                    f"privateEndpoints/{NCC_ENDPOINTS[group]}"
                },
            )
            for group in ("dfs", "blob")
        ),
        resource(
            POLICY_TYPE,
            "egress-policy",
            networkPolicyId=POLICY_ID,
            egress={
                "networkAccess": {
                    "restrictionMode": "RESTRICTED_ACCESS",
                    "policyEnforcement": {"enforcementMode": "ENFORCED"},
                }
            },
        ),
        resource(OPTION, "network-option", workspaceId=OWN_WORKSPACE, networkPolicyId=POLICY_ID),
    ]


WORKSPACE_NETWORK = {
    "id": WORKSPACE_ID,
    "parameters": {
        "enableNoPublicIp": {"value": True},
        "customVirtualNetworkId": {"value": VNET_ID},
        "customPublicSubnetName": {"value": "snet-databricks-host"},
        "customPrivateSubnetName": {"value": "snet-databricks-container"},
        "storageAccountName": {"value": "stmlopsuatdbfs"},
    },
    "requiredNsgRules": "NoAzureDatabricksRules",
    "defaultStorageFirewall": "Enabled",
    "accessConnector": {"id": WS_CONNECTOR_ID, "identityType": "SystemAssigned"},
}


def networked(
    *extra: Resource,
    drop: tuple[str, ...] = (),
    change: dict[str, dict[str, Any]] | None = None,
    workspace: dict[str, Any] | None = None,
    trust_changes: dict[str, Any] | None = None,
) -> tuple[list[Resource], Trust]:
    """The uat stack with its network; `change` merges props into the resources it names."""
    resources = [*environment("uat", **{**WORKSPACE_NETWORK, **(workspace or {})}), *_network()]
    resources = [r for r in resources if r.name not in drop]
    # The workspace provider waits for the front end's DNS (workspace-provider-after-private-
    # link): the ui-api endpoint's zone group and the zone's link, unless a case drops them.
    front_end = tuple(
        r.urn for r in resources if r.name in ("ui-api-dns", "zone-azuredatabricks-link")
    )
    resources = [
        dataclasses.replace(r, dependencies=(*r.dependencies, *front_end))
        if r.type == "pulumi:providers:databricks" and r.name == "databricks-workspace"
        else r
        for r in resources
    ]
    for name, props in (change or {}).items():
        index = next(i for i, r in enumerate(resources) if r.name == name)
        resources[index] = dataclasses.replace(
            resources[index], props={**resources[index].props, **props}
        )
    return [*resources, *extra], dataclasses.replace(network_trust(), **(trust_changes or {}))
