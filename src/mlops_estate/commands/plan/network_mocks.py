"""What Azure and Databricks compute for the network's resources, faked from URNs.

The storage account lookup answers as Azure does: with a private endpoint connection for each
private endpoint registered so far that targets the account, those of the stack's own VNet
approved on creation (an automatic, not a manual, connection), those of an NCC's rules
pending until the account's owner approves them ("Once the request is accepted on the
resource side, the private endpoint is used": Microsoft Learn, serverless private link).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from ...vocabulary.azure import same_id
from ...vocabulary.resource_types import (
    NCC,
    NCC_RULE,
    PRIVATE_ENDPOINT,
    STORAGE_PE_CONNECTION,
)
from .record import PlannedResource

_NAMESPACE = uuid.UUID("0b5f1a52-8d3e-4c2b-9a7e-5e1d2c3b4a60")
# Serverless compute's private endpoints live in Databricks' own subscription.
DATABRICKS_SUBSCRIPTION = "00000000-0000-4000-8000-00000000dbcc"
GET_STORAGE_ACCOUNT = "azure-native:storage:getStorageAccount"

# Top-level network types: (input that names the resource, ARM type under a resource group).
NETWORK_ARM_TYPES: dict[str, tuple[str, str]] = {
    "azure-native:network:VirtualNetwork": (
        "virtualNetworkName",
        "Microsoft.Network/virtualNetworks",
    ),
    "azure-native:network:NetworkSecurityGroup": (
        "networkSecurityGroupName",
        "Microsoft.Network/networkSecurityGroups",
    ),
    "azure-native:network:NatGateway": ("natGatewayName", "Microsoft.Network/natGateways"),
    "azure-native:network:PublicIPAddress": (
        "publicIpAddressName",
        "Microsoft.Network/publicIPAddresses",
    ),
    PRIVATE_ENDPOINT: ("privateEndpointName", "Microsoft.Network/privateEndpoints"),
    "azure-native:privatedns:PrivateZone": ("privateZoneName", "Microsoft.Network/privateDnsZones"),
}

# Child types: (parent's name input, parent's ARM type, child segment, child's name input).
CHILD_ARM_TYPES: dict[str, tuple[str, str, str, str]] = {
    "azure-native:network:Subnet": (
        "virtualNetworkName",
        "Microsoft.Network/virtualNetworks",
        "subnets",
        "subnetName",
    ),
    "azure-native:network:SecurityRule": (
        "networkSecurityGroupName",
        "Microsoft.Network/networkSecurityGroups",
        "securityRules",
        "securityRuleName",
    ),
    "azure-native:network:PrivateDnsZoneGroup": (
        "privateEndpointName",
        "Microsoft.Network/privateEndpoints",
        "privateDnsZoneGroups",
        "privateDnsZoneGroupName",
    ),
    "azure-native:privatedns:VirtualNetworkLink": (
        "privateZoneName",
        "Microsoft.Network/privateDnsZones",
        "virtualNetworkLinks",
        "virtualNetworkLinkName",
    ),
    STORAGE_PE_CONNECTION: (
        "accountName",
        "Microsoft.Storage/storageAccounts",
        "privateEndpointConnections",
        "privateEndpointConnectionName",
    ),
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def child_arm_id(typ: str, subscription: str, inputs: dict[str, Any], name: str) -> str:
    parent_key, parent_type, segment, name_key = CHILD_ARM_TYPES[typ]
    return (
        f"/subscriptions/{subscription}/resourceGroups/"
        f"{inputs.get('resourceGroupName', 'unknown')}/providers/{parent_type}/"
        f"{inputs.get(parent_key, 'unknown')}/{segment}/{inputs.get(name_key, name)}"
    )


def databricks_outputs(typ: str, urn: str) -> dict[str, Any]:
    """What the account API computes for an NCC and its private endpoint rules."""
    if typ == NCC:
        return {"networkConnectivityConfigId": _uuid(urn, "ncc")}
    if typ == NCC_RULE:
        # "The name of the Azure private endpoint resource, e.g.
        # "databricks-088781b3-77fa-4132-b429-1af0d91bc593-pe-3cb31234"" (endpoint_name).
        return {
            "ruleId": _uuid(urn, "rule"),
            "endpointName": f"databricks-{_uuid(urn, 'endpoint')}-pe-{_hex(urn)}",
            "connectionState": "PENDING",
        }
    return {}


def _targets(resource: PlannedResource, account_id: str) -> bool:
    if resource.type == NCC_RULE:
        return same_id(resource.inputs.get("resourceId"), account_id)
    return any(
        same_id(connection.get("privateLinkServiceId"), account_id)
        for connection in resource.inputs.get("privateLinkServiceConnections") or []
    )


def connections(account_id: str, registered: Iterable[PlannedResource]) -> list[dict[str, Any]]:
    """The private endpoint connections of a storage account, as its GET lists them."""
    found = []
    account = account_id.rsplit("/", 1)[-1]
    for resource in registered:
        if resource.type not in (PRIVATE_ENDPOINT, NCC_RULE) or not _targets(resource, account_id):
            continue
        if resource.type == NCC_RULE:
            endpoint_id = (
                f"/subscriptions/{DATABRICKS_SUBSCRIPTION}/resourceGroups/"
                f"databricks-serverless-endpoints/providers/Microsoft.Network/privateEndpoints/"
                f"{resource.outputs['endpointName']}"
            )
            status = "Pending"
        else:
            endpoint_id, status = str(resource.outputs["id"]), "Approved"
        name = f"{account}.{_uuid(resource.urn, 'connection')}"
        found.append(
            {
                "id": f"{account_id}/privateEndpointConnections/{name}",
                "name": name,
                "type": "Microsoft.Storage/storageAccounts/privateEndpointConnections",
                "privateEndpoint": {"id": endpoint_id},
                "privateLinkServiceConnectionState": {
                    "status": status,
                    "description": "",
                    "actionRequired": "None",
                },
                "provisioningState": "Succeeded",
            }
        )
    return sorted(found, key=lambda connection: connection["name"])


def storage_account_answer(
    args: dict[str, Any], subscription: str, registered: Iterable[PlannedResource]
) -> dict[str, Any]:
    """`get_storage_account` of a registered account: its id, name and connections."""
    account_id = (
        f"/subscriptions/{subscription}/resourceGroups/{args.get('resourceGroupName')}/"
        f"providers/Microsoft.Storage/storageAccounts/{args.get('accountName')}"
    )
    return {
        "id": account_id,
        "name": args.get("accountName"),
        "privateEndpointConnections": connections(account_id, registered),
    }


def connection_outputs(
    inputs: dict[str, Any], arm_id: str, registered: Iterable[PlannedResource]
) -> dict[str, Any]:
    """A PrivateEndpointConnection's state: the private endpoint of the connection it names."""
    account_id = arm_id.split("/privateEndpointConnections/")[0]
    for connection in connections(account_id, registered):
        if connection["name"] == inputs.get("privateEndpointConnectionName"):
            return {"privateEndpoint": connection["privateEndpoint"]}
    return {}
