"""`estate report`: who can do what, where, and the verdict of every isolation rule.

The report is a list of sections with tables, rendered to Markdown or to one self-contained
HTML page; the estate diagram is Mermaid in Markdown and inline SVG in HTML. Everything is
sorted, so the same input gives the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .documents import EstateDocument
from .policies import RULES
from .unity_catalog_terms import READ_WRITE


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class Edge:
    securable: str
    workspace: str
    binding_type: str


def _principal_names(outputs: dict[str, Any]) -> dict[str, str]:
    return {role: f"{role} ({p['name']})" for role, p in outputs.get("principals", {}).items()}


def rule_verdicts(document: EstateDocument) -> Table:
    rows = []
    for rule in RULES:
        if document.violations is None:
            verdict, where = "not checked", "stack outputs hold no resources"
        else:
            found = [v for v in document.violations if v.policy == rule.name]
            verdict = f"FAIL ({len(found)})" if found else "pass"
            where = "; ".join(sorted(f"{v.urn.rsplit('::', 1)[1]}: {v.message}" for v in found))
        rows.append([rule.name, rule.enforcement, verdict, where])
    return Table(["rule", "level", "verdict", "violations"], rows)


def access_matrix(outputs: dict[str, Any]) -> Table:
    """Securables by principal: the owner, then the privileges granted to each principal."""
    names = _principal_names(outputs)
    rows = outputs.get("access_matrix", [])
    principals = sorted({row["role"] for row in rows})
    owners = {(o["securable_type"], o["securable"]): names.get(o["role"], o["role"])
              for o in outputs.get("owners", [])}
    cells: dict[tuple[str, str], dict[str, str]] = {key: {} for key in owners}
    for row in rows:
        key = (row["securable_type"], row["securable"])
        cells.setdefault(key, {})[row["role"]] = ", ".join(row["privileges"])
    return Table(["securable", "type", "owner", *(names.get(p, p) for p in principals)],
                 [[securable, typ, owners.get((typ, securable), ""),
                   *(cells[(typ, securable)].get(p, "") for p in principals)]
                  for typ, securable in sorted(cells, key=lambda k: (k[1], k[0]))])


def folder_access(outputs: dict[str, Any]) -> Table:
    names = _principal_names(outputs)
    rows = [[path, folder["purpose"], names.get(entry["role"], entry["role"]),
             entry["permission_level"]]
            for path, folder in sorted(outputs.get("folders", {}).items())
            for entry in folder["access"]]
    return Table(["folder", "purpose", "principal", "permission"], rows)


def identities(outputs: dict[str, Any]) -> list[Table]:
    deployer = outputs.get("deployer", {})
    deployer_table = Table(["deployer", "value"], [
        ["application id", str(deployer.get("application_id", ""))],
        ["managed identity client id", str(deployer.get("managed_identity_client_id", ""))],
        *[["federated subject", subject] for subject in deployer.get("federated_subjects", [])],
    ])
    personas = Table(["persona", "group", "workspace permission", "entitlements"], [
        [p["role"], p["group"], ", ".join(p["permissions"]),
         ", ".join(sorted(k for k, v in p["entitlements"].items() if v)) or "none"]
        for p in outputs.get("personas", [])])
    return [deployer_table, personas]


def workspace_settings(outputs: dict[str, Any]) -> Table:
    settings = outputs.get("workspace_settings", {})
    names = _principal_names(outputs)

    def holders(entries: list[dict[str, str]]) -> str:
        return ", ".join(f"{names.get(e['role'], e['role'])}: {e['permission_level']}"
                         for e in entries) or "not managed"

    rows = [[key, value] for key, value in sorted(settings.get("workspace_conf", {}).items())]
    rows += [["token usage", holders(settings.get("token_usage", []))],
             ["workspace model registry", holders(settings.get("model_registry", []))]]
    rows += [[f"cluster policy {name}", holders(entries)]
             for name, entries in sorted(settings.get("cluster_policies", {}).items())]
    return Table(["setting", "value"], rows)


def bindings(outputs: dict[str, Any]) -> list[Edge]:
    own = str(outputs.get("workspace", {}).get("id", ""))
    environment = outputs.get("environment", "this")
    return sorted(Edge(f"{b['securable_type']} {b['securable']}",
                       f"{environment} workspace" if str(b["workspace_id"]) == own
                       else f"workspace {b['workspace_id']}", b["binding_type"])
                  for b in outputs.get("bindings", []))


def sections(document: EstateDocument) -> list[Section]:
    outputs = document.outputs
    workspace = outputs.get("workspace", {})
    catalogs = outputs.get("catalogs", {})
    return [
        Section("Isolation rules", f"Source: {document.source}.", [rule_verdicts(document)]),
        Section("Workspace", "", [Table(["what", "value"], [
            ["environment", document.environment], ["host", str(workspace.get("host", ""))],
            ["workspace id", str(workspace.get("id", ""))],
            *[[f"catalog ({kind})", str(name)] for kind, name in sorted(catalogs.items())]])]),
        Section("Access matrix", "Unity Catalog privileges, granted authoritatively: any "
                "other grant is revoked on the next update.", [access_matrix(outputs)]),
        Section("Folder access lists", "", [folder_access(outputs)]),
        Section("Identities", "The deployer authenticates by federation only.",
                identities(outputs)),
        Section("Workspace settings", "", [workspace_settings(outputs)]),
    ]


def _node_id(label: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in label)


def mermaid(edges: list[Edge]) -> str:
    lines = ["flowchart LR"]
    for label in sorted({e.securable for e in edges} | {e.workspace for e in edges}):
        shape = f'["{label}"]' if "workspace" in label.split()[0:2] else f'[("{label}")]'
        lines.append(f"  {_node_id(label)}{shape}")
    for edge in edges:
        arrow = "-->" if edge.binding_type == READ_WRITE else "-.->"
        kind = "read-write" if edge.binding_type == READ_WRITE else "read-only"
        lines.append(f"  {_node_id(edge.securable)} {arrow}|{kind}| {_node_id(edge.workspace)}")
    return "\n".join(lines)


def _markdown_table(table: Table) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(table.headers) + " |",
             "| " + " | ".join("---" for _ in table.headers) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in table.rows]
    return lines


def render_markdown(document: EstateDocument) -> str:
    lines = [f"# Estate report: {document.stack} ({document.environment})", "",
             "## Estate diagram", "", "```mermaid", mermaid(bindings(document.outputs)), "```"]
    for section in sections(document):
        lines += ["", f"## {section.title}"]
        if section.intro:
            lines += ["", section.intro]
        for table in section.tables:
            lines += ["", *_markdown_table(table)]
    return "\n".join(lines) + "\n"


def svg_diagram(edges: list[Edge]) -> str:
    """Securables on the left, workspaces on the right; dashed lines are read-only."""
    securables = sorted({e.securable for e in edges})
    workspaces = sorted({e.workspace for e in edges})
    row, width, box = 44, 760, 250
    height = row * max(len(securables), len(workspaces), 1) + 20
    y_of = {label: 20 + row * i for i, label in enumerate(securables)}
    y_of.update({label: 20 + row * i for i, label in enumerate(workspaces)})
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img" aria-label="estate diagram" font-family="sans-serif" font-size="12">']
    for edge in edges:
        dash = "" if edge.binding_type == READ_WRITE else ' stroke-dasharray="6 4"'
        parts.append(f'<line x1="{box + 10}" y1="{y_of[edge.securable] + 14}" '
                     f'x2="{width - box - 10}" y2="{y_of[edge.workspace] + 14}" '
                     f'stroke="#555"{dash}/>')
    for labels, x in ((securables, 10), (workspaces, width - box - 10)):
        for label in labels:
            parts.append(f'<rect x="{x}" y="{y_of[label]}" width="{box}" height="28" rx="6" '
                         'fill="#eef3fb" stroke="#4a6fa5"/>')
            parts.append(f'<text x="{x + 8}" y="{y_of[label] + 18}">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
                   for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """body{font-family:sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef3fb}"""


def render_html(document: EstateDocument) -> str:
    title = f"Estate report: {document.stack} ({document.environment})"
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>", "<h2>Estate diagram</h2>",
             svg_diagram(bindings(document.outputs)),
             "<p>Solid lines: read-write bindings; dashed lines: read-only bindings.</p>"]
    for section in sections(document):
        section_id = section.title.lower().replace(" ", "-")
        parts.append(f'<section id="{section_id}"><h2>{html.escape(section.title)}</h2>')
        if section.intro:
            parts.append(f"<p>{html.escape(section.intro)}</p>")
        parts += [_html_table(table) for table in section.tables]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
