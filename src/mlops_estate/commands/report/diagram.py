"""The estate diagram: securables, workspaces and their bindings, as Mermaid and as SVG."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from ...vocabulary.unity_catalog import READ_WRITE


@dataclass(frozen=True, order=True)
class Edge:
    securable: str
    workspace: str
    binding_type: str


def bindings(outputs: dict[str, Any]) -> list[Edge]:
    own = str(outputs.get("workspace", {}).get("id", ""))
    environment = outputs.get("environment", "this")
    return sorted(
        Edge(
            f"{b['securable_type']} {b['securable']}",
            f"{environment} workspace"
            if str(b["workspace_id"]) == own
            else f"workspace {b['workspace_id']}",
            b["binding_type"],
        )
        for b in outputs.get("bindings", [])
    )


def node_id(label: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in label)


def mermaid(edges: list[Edge]) -> str:
    lines = ["flowchart LR"]
    for label in sorted({e.securable for e in edges} | {e.workspace for e in edges}):
        shape = f'["{label}"]' if "workspace" in label.split()[0:2] else f'[("{label}")]'
        lines.append(f"  {node_id(label)}{shape}")
    for edge in edges:
        arrow = "-->" if edge.binding_type == READ_WRITE else "-.->"
        kind = "read-write" if edge.binding_type == READ_WRITE else "read-only"
        lines.append(f"  {node_id(edge.securable)} {arrow}|{kind}| {node_id(edge.workspace)}")
    return "\n".join(lines)


def svg_diagram(edges: list[Edge]) -> str:
    """Securables on the left, workspaces on the right; dashed lines are read-only."""
    securables = sorted({e.securable for e in edges})
    workspaces = sorted({e.workspace for e in edges})
    row, width, box = 44, 760, 250
    height = row * max(len(securables), len(workspaces), 1) + 20
    y_of = {label: 20 + row * i for i, label in enumerate(securables)}
    y_of.update({label: 20 + row * i for i, label in enumerate(workspaces)})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="estate diagram" font-family="sans-serif" font-size="12">'
    ]
    for edge in edges:
        dash = "" if edge.binding_type == READ_WRITE else ' stroke-dasharray="6 4"'
        parts.append(
            f'<line x1="{box + 10}" y1="{y_of[edge.securable] + 14}" '
            f'x2="{width - box - 10}" y2="{y_of[edge.workspace] + 14}" '
            f'stroke="#555"{dash}/>'
        )
    for labels, x in ((securables, 10), (workspaces, width - box - 10)):
        for label in labels:
            parts.append(
                f'<rect x="{x}" y="{y_of[label]}" width="{box}" height="28" rx="6" '
                'fill="#eef3fb" stroke="#4a6fa5"/>'
            )
            parts.append(f'<text x="{x + 8}" y="{y_of[label] + 18}">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
