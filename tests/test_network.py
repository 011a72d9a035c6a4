"""Private networking in the plans of both example stacks, in both network modes: what the
estate creates, what it joins, and how the NCC's connections get approved."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy
from support.network_configs import existing
from support.plans import example_config, example_plan, of_type, write_stack
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.commands.plan.runner import Plan
from mlops_estate.commands.report.network_diagram import network_edges
from mlops_estate.config import ConfigError, parse_estate_config
from mlops_estate.rules import evaluate
from mlops_estate.rules.resource import Resource
from mlops_estate.rules.trust import Trust
from mlops_estate.vocabulary.network import is_ncc_endpoint_name, private_endpoint_name

SUBSCRIPTIONS = {
    "uat": "11111111-1111-4111-8111-111111111111",
    "prod": "55555555-5555-4555-8555-555555555555",
}
VAULT_ZONE = "privatelink.vaultcore.azure.net"
ZONES = {
    "privatelink.azuredatabricks.net",
    "privatelink.dfs.core.windows.net",
    "privatelink.blob.core.windows.net",
    VAULT_ZONE,
}


def urn(stack: str, path: str, name: str) -> str:
    return f"urn:pulumi:{stack}::mlops-estate::mlops-estate:estate:Environment${path}::{name}"


def joining(stack: str) -> Callable[[dict[str, Any]], None]:
    """The stack's config, joining a landing zone's VNet and its central DNS zones."""

    def change(estate: dict[str, Any]) -> None:
        subscription = SUBSCRIPTIONS[stack]
        estate["network"].pop("create")
        estate["network"]["existing"] = existing(subscription)
        estate["network"]["browser_authentication"] = {
            "existing_private_endpoint_id": f"/subscriptions/{subscription}/resourceGroups/"
            "rg-landing-zone/providers/Microsoft.Network/privateEndpoints/pe-webauth-westeurope"
        }
        estate["network"]["private_dns_zones"] = {
            key: f"/subscriptions/{subscription}/resourceGroups/rg-dns/providers/"
            f"Microsoft.Network/privateDnsZones/{zone}"
            for key, zone in (
                ("azuredatabricks", "privatelink.azuredatabricks.net"),
                ("dfs", "privatelink.dfs.core.windows.net"),
                ("blob", "privatelink.blob.core.windows.net"),
                ("vaultcore", VAULT_ZONE),
            )
        }

    return change


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_created_network_is_delegated_with_its_nsg_and_nat(stack: str) -> None:
    plan = example_plan(stack)
    subnets = {s.inputs["subnetName"]: s for s in of_type(plan, "network:Subnet")}
    assert set(subnets) == {
        "snet-databricks-host",
        "snet-databricks-container",
        "snet-private-endpoints",
    }
    (nsg,) = of_type(plan, "network:NetworkSecurityGroup")
    (nat,) = of_type(plan, "network:NatGateway")
    (address,) = of_type(plan, "network:PublicIPAddress")
    for name in ("snet-databricks-host", "snet-databricks-container"):
        subnet = subnets[name].inputs
        assert [d["serviceName"] for d in subnet["delegations"]] == [
            "Microsoft.Databricks/workspaces"
        ]
        assert subnet["networkSecurityGroup"] == {"id": nsg.outputs["id"]}
        assert subnet["natGateway"] == {"id": nat.outputs["id"]}
        assert subnet["defaultOutboundAccess"] is False
    assert "delegations" not in subnets["snet-private-endpoints"].inputs
    assert "securityRules" not in nsg.inputs  # standalone rules only
    assert sorted(r.inputs["securityRuleName"] for r in of_type(plan, "SecurityRule")) == [
        "AllowAAD",
        "AllowAzureFrontDoor",
    ]
    assert nat.inputs["publicIpAddresses"] == [{"id": address.outputs["id"]}]
    assert address.inputs["sku"] == {"name": "Standard", "tier": "Regional"}
    assert address.inputs["publicIPAllocationMethod"] == "Static"
    (vnet,) = of_type(plan, "network:VirtualNetwork")
    assert "subnets" not in vnet.inputs
    (workspace,) = of_type(plan, "databricks:Workspace")
    assert workspace.inputs["parameters"]["customVirtualNetworkId"] == {"value": vnet.outputs["id"]}
    assert set(workspace.dependencies) >= {subnets["snet-databricks-container"].urn}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_private_endpoints_dns_and_zone_groups(stack: str) -> None:
    plan = example_plan(stack)
    endpoints = {
        e.inputs["privateEndpointName"]: e.inputs["privateLinkServiceConnections"][0]
        for e in of_type(plan, "network:PrivateEndpoint")
    }
    groups = {name: c["groupIds"] for name, c in endpoints.items()}
    assert groups == {
        f"pe-dbw-mlops-{stack}-ui-api": ["databricks_ui_api"],
        f"pe-dbw-mlops-{stack}-browser-authentication": ["browser_authentication"],
        f"pe-stmlops{stack}catalog-dfs": ["dfs"],
        f"pe-stmlops{stack}catalog-blob": ["blob"],
        f"pe-stmlops{stack}dbfs-dfs": ["dfs"],
        f"pe-stmlops{stack}dbfs-blob": ["blob"],
        f"pe-kv-mlops-{stack}-keys-vault": ["vault"],
    }
    assert endpoints[f"pe-stmlops{stack}dbfs-dfs"]["privateLinkServiceId"] == (
        f"/subscriptions/{SUBSCRIPTIONS[stack]}/resourceGroups/rg-mlops-{stack}-databricks-managed"
        f"/providers/Microsoft.Storage/storageAccounts/stmlops{stack}dbfs"
    )
    zones = {z.inputs["privateZoneName"]: z.outputs["id"] for z in of_type(plan, "PrivateZone")}
    assert set(zones) == ZONES
    (vnet,) = of_type(plan, "network:VirtualNetwork")
    links = of_type(plan, "privatedns:VirtualNetworkLink")
    assert {
        (link.inputs["privateZoneName"], link.inputs["registrationEnabled"]) for link in links
    } == {(zone, False) for zone in ZONES}
    assert {link.inputs["virtualNetwork"]["id"] for link in links} == {vnet.outputs["id"]}
    records = {
        g.inputs["privateEndpointName"]: g.inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"]
        for g in of_type(plan, "PrivateDnsZoneGroup")
    }
    assert records[f"pe-dbw-mlops-{stack}-ui-api"] == zones["privatelink.azuredatabricks.net"]
    assert records[f"pe-stmlops{stack}catalog-dfs"] == zones["privatelink.dfs.core.windows.net"]
    assert records[f"pe-stmlops{stack}dbfs-blob"] == zones["privatelink.blob.core.windows.net"]
    assert records[f"pe-kv-mlops-{stack}-keys-vault"] == zones[VAULT_ZONE]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_workspace_is_private_with_a_firewalled_root_storage(stack: str) -> None:
    plan = example_plan(stack)
    (workspace,) = of_type(plan, "databricks:Workspace")
    inputs = workspace.inputs
    assert inputs["publicNetworkAccess"] == "Disabled"
    assert inputs["requiredNsgRules"] == "NoAzureDatabricksRules"
    assert inputs["defaultStorageFirewall"] == "Enabled"
    connectors = {c.inputs["connectorName"]: c for c in of_type(plan, "AccessConnector")}
    connector = connectors[f"ac-mlops-{stack}-workspace"]
    assert inputs["accessConnector"] == {
        "id": connector.outputs["id"],
        "identityType": "SystemAssigned",
    }
    assert inputs["parameters"]["storageAccountName"] == {"value": f"stmlops{stack}dbfs"}
    assert inputs["parameters"]["customPublicSubnetName"] == {"value": "snet-databricks-host"}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_catalog_storage_has_no_public_endpoint(stack: str) -> None:
    plan = example_plan(stack)
    (account,) = of_type(plan, "storage:StorageAccount")
    (connector,) = [
        c
        for c in of_type(plan, "AccessConnector")
        if c.inputs["connectorName"] == f"ac-mlops-{stack}"
    ]
    assert account.inputs["publicNetworkAccess"] == "Disabled"
    assert account.inputs["networkRuleSet"] == {
        "defaultAction": "Deny",
        "bypass": "None",
        "resourceAccessRules": [
            {
                "resourceId": connector.outputs["id"],
                "tenantId": "22222222-2222-4222-8222-222222222222",
            }
        ],
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_serverless_reaches_the_catalog_storage_privately_and_nothing_else(stack: str) -> None:
    plan = example_plan(stack)
    (ncc,) = of_type(plan, "MwsNetworkConnectivityConfig")
    (binding,) = of_type(plan, "MwsNccBinding")
    (workspace,) = of_type(plan, "databricks:Workspace")
    (account,) = of_type(plan, "storage:StorageAccount")
    assert ncc.inputs == {"name": f"ncc-{stack}-westeurope", "region": "westeurope"}
    assert ncc.provider.endswith("pulumi:providers:databricks::databricks-account")
    ncc_id = ncc.outputs["networkConnectivityConfigId"]
    assert binding.inputs == {
        "networkConnectivityConfigId": ncc_id,
        "workspaceId": workspace.outputs["workspaceId"],
    }
    rules = {r.inputs["groupId"]: r for r in of_type(plan, "MwsNccPrivateEndpointRule")}
    assert set(rules) == {"dfs", "blob"}
    assert {r.inputs["resourceId"] for r in rules.values()} == {account.outputs["id"]}
    (policy,) = of_type(plan, "AccountNetworkPolicy")
    assert policy.inputs == {
        "networkPolicyId": f"dbw-mlops-{stack}-egress",
        "egress": {
            "networkAccess": {
                "restrictionMode": "RESTRICTED_ACCESS",
                "allowedInternetDestinations": [],
                "policyEnforcement": {"enforcementMode": "ENFORCED"},
            }
        },
    }
    (option,) = of_type(plan, "WorkspaceNetworkOption")
    assert option.inputs == {
        "workspaceId": workspace.outputs["workspaceId"],
        "networkPolicyId": f"dbw-mlops-{stack}-egress",
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_each_ncc_rule_is_approved_on_the_storage_by_importing_its_connection(stack: str) -> None:
    """The lookup lists every connection of the account (the VNet's own, approved on creation,
    and the NCC's, pending); each approval names the connection whose endpoint is its rule's,
    and imports it."""
    plan = example_plan(stack)
    (lookup,) = [x for x in plan.lookups if x.token == "azure-native:storage:getStorageAccount"]
    states = sorted(
        c["privateLinkServiceConnectionState"]["status"]
        for c in lookup.result["privateEndpointConnections"]
    )
    assert states == ["Approved", "Approved", "Pending", "Pending"]
    rules = {
        r.inputs["groupId"]: r.outputs["endpointName"]
        for r in of_type(plan, "NccPrivateEndpointRule")
    }
    approvals = of_type(plan, "storage:PrivateEndpointConnection")
    assert len(approvals) == 2
    for approval in approvals:
        group = approval.name.split("-ncc-")[1].split("-")[0]
        assert approval.outputs["privateEndpoint"]["id"].endswith(f"/{rules[group]}")
        assert approval.inputs["privateLinkServiceConnectionState"]["status"] == "Approved"
        assert approval.import_id == approval.outputs["id"]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_network_outputs(stack: str) -> None:
    network = example_plan(stack).outputs["network"]
    assert network["mode"] == "create"
    assert set(network["private_endpoints"]) == {
        "workspace-ui-api",
        "workspace-browser-authentication",
        "catalog-storage-dfs",
        "catalog-storage-blob",
        "root-storage-dfs",
        "root-storage-blob",
        "key-vault",
    }
    assert (
        network["browser_authentication"]
        == network["private_endpoints"]["workspace-browser-authentication"]
    )
    assert set(network["private_dns_zones"]) == {"azuredatabricks", "dfs", "blob", "vaultcore"}
    edges = {(e.securable, e.workspace) for e in network_edges(example_plan(stack).outputs)}
    assert ("private endpoint key-vault", f"{stack} Key Vault") in edges
    assert network["ncc_private_endpoint_rules"]["dfs"]["connection_state"] == "PENDING"


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_an_existing_network_plans_clean_and_creates_no_network(stack: str, plan_with) -> None:
    plan: Plan = plan_with(stack, joining(stack))
    assert plan.violations == []
    created = {r.type for r in plan.resources}
    for kind in ("VirtualNetwork", "Subnet", "NatGateway", "PublicIPAddress", "PrivateZone"):
        assert not any(t.endswith(f":{kind}") for t in created), kind
    (workspace,) = of_type(plan, "databricks:Workspace")
    vnet = existing(SUBSCRIPTIONS[stack])["virtual_network_id"]
    assert workspace.inputs["parameters"]["customVirtualNetworkId"] == {"value": vnet}
    assert workspace.inputs["parameters"]["customPrivateSubnetName"] == {
        "value": "snet-dbw-container"
    }
    endpoints = of_type(plan, "network:PrivateEndpoint")
    assert {e.inputs["subnet"]["id"] for e in endpoints} == {f"{vnet}/subnets/snet-endpoints"}
    assert "browser_authentication" not in {
        e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in endpoints
    }
    # The records go into the landing zone's zones.
    records = {
        g.inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"]
        for g in of_type(plan, "PrivateDnsZoneGroup")
    }
    assert {r.split("/rg-dns/")[0] for r in records} == {
        f"/subscriptions/{SUBSCRIPTIONS[stack]}/resourceGroups"
    }
    assert plan.outputs["network"]["mode"] == "existing"
    assert plan.outputs["network"]["dns_zones_owned_by"] == "landing zone"


def test_a_public_front_end_keeps_the_back_end_and_storage_private(plan_with) -> None:
    def public(estate: dict[str, Any]) -> None:
        estate["network"]["public_network_access"] = "Enabled"
        estate["network"].pop("browser_authentication")

    plan = plan_with("uat", public)
    assert [v.policy for v in plan.violations] == ["public-network-access-disabled"]
    (workspace,) = of_type(plan, "databricks:Workspace")
    assert workspace.inputs["requiredNsgRules"] == "NoAzureDatabricksRules"
    groups = [
        e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
        for e in of_type(plan, "network:PrivateEndpoint")
    ]
    assert "databricks_ui_api" in groups and "browser_authentication" not in groups
    # The Key Vault is as it was before private networking: behind its firewall, with the
    # SDK's default public network access, and no endpoint or zone of its own.
    (vault,) = of_type(plan, "keyvault:Vault")
    assert vault.inputs["properties"]["publicNetworkAccess"] == "enabled"
    assert vault.inputs["properties"]["networkAcls"] == {
        "defaultAction": "Deny",
        "bypass": "AzureServices",
    }
    assert "vault" not in groups
    assert VAULT_ZONE not in {z.inputs["privateZoneName"] for z in of_type(plan, "PrivateZone")}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_a_private_workspaces_key_vault_is_reached_only_privately(stack: str) -> None:
    """No public traffic: its endpoint in the endpoints' subnet, its record in the vaultcore
    zone, and the firewall's trusted-service bypass kept for Azure Databricks, disk
    encryption sets and storage."""
    plan = example_plan(stack)
    (vault,) = of_type(plan, "keyvault:Vault")
    assert vault.inputs["properties"]["publicNetworkAccess"] == "Disabled"
    assert vault.inputs["properties"]["networkAcls"] == {
        "defaultAction": "Deny",
        "bypass": "AzureServices",
    }
    (endpoint,) = [
        e
        for e in of_type(plan, "network:PrivateEndpoint")
        if e.inputs["privateEndpointName"] == f"pe-kv-mlops-{stack}-keys-vault"
    ]
    vnet = (
        f"/subscriptions/{SUBSCRIPTIONS[stack]}/resourceGroups/rg-mlops-{stack}/providers/"
        f"Microsoft.Network/virtualNetworks/vnet-mlops-{stack}"
    )
    assert endpoint.inputs["subnet"]["id"] == f"{vnet}/subnets/snet-private-endpoints"
    assert "manualPrivateLinkServiceConnections" not in endpoint.inputs
    assert endpoint.inputs["privateLinkServiceConnections"] == [
        {
            "name": f"pe-kv-mlops-{stack}-keys-vault",
            "privateLinkServiceId": vault.outputs["id"],
            "groupIds": ["vault"],
        }
    ]
    assert vault.outputs["id"] == (
        f"/subscriptions/{SUBSCRIPTIONS[stack]}/resourceGroups/rg-mlops-{stack}/providers/"
        f"Microsoft.KeyVault/vaults/kv-mlops-{stack}-keys"
    )
    (link,) = [
        link
        for link in of_type(plan, "privatedns:VirtualNetworkLink")
        if link.inputs["privateZoneName"] == VAULT_ZONE
    ]
    assert link.inputs["virtualNetwork"] == {"id": vnet}


def _judged(
    stack: str, change: Callable[[Resource], Resource | None], config: dict[str, Any] | None = None
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The example plan's resources, each passed through `change` (None drops it), judged
    under the stack's config (or `config`): (rule, URN) of each violation, and the URNs by
    logical name."""
    resources = [r.as_resource() for r in example_plan(stack).resources]
    changed = [c for c in map(change, resources) if c is not None]
    trust = Trust.from_raw_config(stack, config or example_config(stack))
    violations, _ = evaluate(changed, trust)
    return [(v.policy, v.urn) for v in violations], {r.name: r.urn for r in resources}


def _without_keys(estate: dict[str, Any]) -> None:
    estate["encryption"]["customer_managed_keys"] = False


def _public(estate: dict[str, Any]) -> None:
    estate["network"]["public_network_access"] = "Enabled"
    estate["network"].pop("browser_authentication")


def _vault_access(access: str | None) -> Callable[[Resource], Resource]:
    """The vault with properties.public_network_access `access` (None: left out)."""

    def change(resource: Resource) -> Resource:
        if not resource.type.endswith("keyvault:Vault"):
            return resource
        properties = {
            k: v for k, v in resource.props["properties"].items() if k != "publicNetworkAccess"
        }
        if access is not None:
            properties["publicNetworkAccess"] = access
        return dataclasses.replace(resource, props={**resource.props, "properties": properties})

    return change


@pytest.mark.parametrize(
    ("access", "breaks"),
    [("Enabled", True), ("enabled", True), (None, True), ("Disabled", False), ("disabled", False)],
)
@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_key_vault_private_judges_the_vaults_public_network_access(
    stack: str, access: str | None, breaks: bool
) -> None:
    """With a private workspace the vault's public network access is Disabled, in any case
    (the API reads it without regard to case); left out, it is Azure's 'enabled'."""
    violations, urns = _judged(stack, _vault_access(access))
    vault = urns[f"{stack}-keys-vault"]
    assert violations == ([("key-vault-private", vault)] if breaks else [])


@pytest.mark.parametrize("dropped", [("key-vault", "key-vault-dns"), ("key-vault-dns",)])
def test_key_vault_private_wants_its_endpoint_and_record(dropped: tuple[str, ...]) -> None:
    """Without the vault endpoint, or without its record in the vaultcore zone, nothing in
    the VNet reaches the vault."""
    names = {f"prod-private-link-{name}" for name in dropped}
    violations, urns = _judged("prod", lambda r: None if r.name in names else r)
    assert violations == [("key-vault-private", urns["prod-keys-vault"])]


def test_a_public_workspaces_vault_may_stay_public() -> None:
    """A public front end keeps the vault as it was: key-vault-private leaves it alone."""
    config = example_config("uat")
    _public(config)
    violations, _ = _judged("uat", _vault_access("enabled"), config)
    assert "key-vault-private" not in {rule for rule, _ in violations}


def test_only_the_stacks_own_vault_is_an_endpoint_target_and_a_zone() -> None:
    """Without customer-managed keys the stack has no vault of its own: an endpoint to the
    configured vault, the vaultcore zone, its link and the record in it are refused."""
    config = example_config("uat")
    _without_keys(config)
    violations, urns = _judged("uat", lambda r: r, config)
    network_rules = {"private-endpoints-own-targets", "private-dns-own-zones", "key-vault-private"}
    assert {(rule, urn) for rule, urn in violations if rule in network_rules} == {
        ("private-endpoints-own-targets", urns["uat-private-link-key-vault"]),
        ("private-dns-own-zones", urns["uat-private-link-zone-vaultcore"]),
        ("private-dns-own-zones", urns["uat-private-link-zone-vaultcore-link"]),
        ("private-dns-own-zones", urns["uat-private-link-key-vault-dns"]),
    }


def _landing_zone_without_the_vault_zone(estate: dict[str, Any]) -> None:
    joining("uat")(estate)
    del estate["network"]["private_dns_zones"]["vaultcore"]


def test_a_private_vault_needs_the_landing_zones_vault_zone(project: Path) -> None:
    estate = example_config("uat")
    _landing_zone_without_the_vault_zone(estate)
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(estate, stack="uat")
    path = "mlops-estate:estate.network.private_dns_zones.vaultcore"
    assert [p for p, _ in raised.value.problems] == [path]
    assert "required with customer-managed keys and public_network_access Disabled" in str(
        raised.value
    )
    write_stack(project, "uat", estate)
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project)])
    assert result.exit_code == 2 and path in result.output


@pytest.mark.parametrize("change", [_without_keys, _public])
def test_a_vault_that_is_not_private_needs_no_vault_zone(
    change: Callable[[dict[str, Any]], None],
) -> None:
    estate = example_config("uat")
    _landing_zone_without_the_vault_zone(estate)
    change(estate)
    assert parse_estate_config(estate, stack="uat").network.private_dns_zones.vaultcore is None


def test_the_landing_zones_vault_zone_is_named_for_vaults() -> None:
    estate = example_config("uat")
    joining("uat")(estate)
    zones = estate["network"]["private_dns_zones"]
    zones["vaultcore"] = zones["blob"]
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(estate, stack="uat")
    assert [p for p, _ in raised.value.problems] == [
        "mlops-estate:estate.network.private_dns_zones.vaultcore"
    ]
    assert f"not {VAULT_ZONE!r}" in str(raised.value)


def test_a_value_computed_from_the_workspace_is_not_the_workspace(stack: str = "uat") -> None:
    """An endpoint whose target is unknown but comes only from the own workspace is accepted
    only while the workspace's id is unknown too (a preview before it exists); left unknown
    while the workspace is known, or a known target computed from it but another, it is not."""
    plan = example_plan(stack)
    resources = [r.as_resource() for r in plan.resources]
    trust = Trust.from_raw_config(stack, example_config(stack))
    (ui,) = [r for r in resources if r.name.endswith("workspace-ui-api")]
    index = resources.index(ui)
    (workspace,) = [r for r in resources if r.type.endswith("databricks:Workspace")]
    unknown_workspace = Resource(
        **{
            **workspace.__dict__,
            "props": unknown_checking_proxy({**workspace.props, "id": UNKNOWN_STRING_VALUE}),
        }
    )
    connections = [{**ui.props["privateLinkServiceConnections"][0]}]
    for target, workspace_known, expected in (
        (None, False, []),
        (None, True, [ui.urn]),
        ("/subscriptions/x/other-workspace", True, [ui.urn]),
    ):
        connections[0]["privateLinkServiceId"] = target or UNKNOWN_STRING_VALUE
        changed = Resource(
            **{
                **ui.__dict__,
                "props": unknown_checking_proxy(
                    {**ui.props, "privateLinkServiceConnections": connections}
                ),
                "property_dependencies": {"privateLinkServiceConnections": (workspace.urn,)},
            }
        )
        stack_resources = [
            r if r is not workspace or workspace_known else unknown_workspace
            for r in [*resources[:index], changed, *resources[index + 1 :]]
        ]
        violations, _ = evaluate(stack_resources, trust)
        assert [
            v.urn for v in violations if v.policy == "private-endpoints-own-targets"
        ] == expected


def test_an_ncc_connection_is_matched_by_its_exact_name_in_databricks_form() -> None:
    """The serverless approval and pe-approvals-own-ncc match a connection's private endpoint
    by its exact last segment, only in Databricks' form: a name that ends like it is another."""
    name = "databricks-088781b3-77fa-4132-b429-1af0d91bc593-pe-3cb31234"
    pes = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/privateEndpoints"
    assert private_endpoint_name(f"{pes}/{name}") == name
    assert private_endpoint_name(f"{pes}/evil-{name}") == f"evil-{name}"
    assert private_endpoint_name(f"/subscriptions/x/other/{name}") is None
    assert is_ncc_endpoint_name(name)
    assert not is_ncc_endpoint_name(f"evil-{name}")
    assert not is_ncc_endpoint_name("databricks-ep-pe-dfs")
