"""The network in the estate diagram: the VNet, its private endpoints and what they reach,
the clusters' egress, and serverless compute's NCC."""

from __future__ import annotations

from typing import Any

from ...vocabulary.unity_catalog import READ_WRITE
from .diagram import Edge, node_id

# What each endpoint key (PrivateLink's, in the `network` output) reaches.
_TARGETS = {
    "workspace": "workspace",
    "catalog": "catalog storage",
    "root": "root storage",
    "key": "Key Vault",
}


def _target(key: str, environment: str) -> str:
    target = _TARGETS[key.split("-")[0]]
    return f"{environment} workspace" if target == "workspace" else f"{environment} {target}"


def network_edges(outputs: dict[str, Any]) -> list[Edge]:
    """Each private endpoint to what it reaches, as the diagram's edges (solid lines)."""
    network = outputs.get("network") or {}
    environment = outputs.get("environment", "this")
    return sorted(
        Edge(f"private endpoint {key}", _target(key, environment), READ_WRITE)
        for key in network.get("private_endpoints", {})
    )


def network_mermaid(outputs: dict[str, Any]) -> list[str]:
    """Mermaid lines that put the endpoints in a VNet subgraph, with egress and the NCC."""
    network = outputs.get("network")
    if not network:
        return []
    environment = outputs.get("environment", "this")
    vnet = str(network["virtual_network_id"]).rsplit("/", 1)[-1]
    lines = [
        f'  subgraph vnet["VNet {vnet} ({network["mode"]}), front end '
        f'{network["public_network_access"]}"]',
        '    n_subnets["host and container subnets<br/>(delegated, NSG)"]',
    ]
    lines += [f'    {node_id(e.securable)}["{e.securable}"]' for e in network_edges(outputs)]
    lines.append("  end")
    edges = network_edges(outputs)
    storage = sorted({e.workspace for e in edges if not e.workspace.endswith("workspace")})
    lines += [f'  {node_id(label)}[("{label}")]' for label in storage]
    lines += [f"  {node_id(e.securable)} --> {node_id(e.workspace)}" for e in edges]
    if network.get("nat_public_ip_id"):
        lines.append('  n_subnets -->|egress| n_nat["NAT gateway, static public IP"]')
    lines.append(
        f'  n_ncc["serverless NCC {network.get("ncc_id", "")}<br/>egress '
        f'{network.get("network_policy_id", "")}"] -.->|private endpoint rules| '
        f"{node_id(f'{environment} catalog storage')}"
    )
    return lines
