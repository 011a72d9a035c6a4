"""The report as Markdown, and as one self-contained HTML page."""

from __future__ import annotations

import html

from ..documents import EstateDocument
from .diagram import bindings, mermaid, svg_diagram
from .network_diagram import network_edges, network_mermaid
from .sections import Table, sections


def _markdown_table(table: Table) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(table.headers) + " |",
        "| " + " | ".join("---" for _ in table.headers) + " |",
    ]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in table.rows]
    return lines


def render_markdown(document: EstateDocument) -> str:
    lines = [
        f"# Estate report: {document.stack} ({document.environment})",
        "",
        "## Estate diagram",
        "",
        "```mermaid",
        mermaid(bindings(document.outputs)),
        *network_mermaid(document.outputs),
        "```",
    ]
    for section in sections(document):
        lines += ["", f"## {section.title}"]
        if section.intro:
            lines += ["", section.intro]
        for table in section.tables:
            lines += ["", *_markdown_table(table)]
    return "\n".join(lines) + "\n"


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """body{font-family:sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef3fb}"""


def render_html(document: EstateDocument) -> str:
    title = f"Estate report: {document.stack} ({document.environment})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<h2>Estate diagram</h2>",
        svg_diagram(bindings(document.outputs) + network_edges(document.outputs)),
        "<p>Solid lines: read-write bindings, and private endpoints to what they reach; "
        "dashed lines: read-only bindings.</p>",
    ]
    for section in sections(document):
        section_id = section.title.lower().replace(" ", "-")
        parts.append(f'<section id="{section_id}"><h2>{html.escape(section.title)}</h2>')
        if section.intro:
            parts.append(f"<p>{html.escape(section.intro)}</p>")
        parts += [_html_table(table) for table in section.tables]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
