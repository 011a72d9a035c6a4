"""Plan renderings: the JSON document, Markdown for a pull request, and the terminal summary."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from ...rules import mandatory
from ..markdown import code, text
from .runner import Plan


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "project": plan.project,
        "stack": plan.stack,
        "config": plan.config,
        "resources": [asdict(resource) for resource in plan.resources],
        "lookups": [asdict(lookup) for lookup in plan.lookups],
        "outputs": plan.outputs,
        "violations": [asdict(violation) for violation in plan.violations],
    }


def plan_json(plan: Plan) -> str:
    """Byte-identical for the same plan: sorted keys, sorted resources, a trailing newline."""
    return json.dumps(plan_document(plan), indent=2, sort_keys=True, default=str) + "\n"


def counts_by_type(plan: Plan) -> list[tuple[str, int]]:
    counts = Counter(resource.type for resource in plan.resources)
    return sorted(counts.items())


def _verdict(plan: Plan) -> str:
    blocking = len(mandatory(plan.violations))
    advisory = len(plan.violations) - blocking
    return (
        f"{len(plan.resources)} resources, {blocking} mandatory and {advisory} advisory "
        "policy violations"
    )


def plan_markdown(plan: Plan) -> str:
    lines = [
        f"## Estate plan: {code(plan.project)} / {code(plan.stack)}",
        "",
        _verdict(plan),
        "",
        "| resource type | count |",
        "| --- | ---: |",
    ]
    lines += [f"| {code(typ)} | {count} |" for typ, count in counts_by_type(plan)]
    lines += ["", "### Policy violations", ""]
    if plan.violations:
        lines += ["| policy | level | resource | what to change |", "| --- | --- | --- | --- |"]
        lines += [
            f"| `{v.policy}` | {v.enforcement} | {code(v.urn)} | {text(v.message)} |"
            for v in plan.violations
        ]
    else:
        lines.append("None.")
    if plan.allowed_types:
        lines += [
            "",
            "### Resource types allowed without review",
            "",
            "| type | reason (from the stack config) |",
            "| --- | --- |",
            *(
                f"| {code(t)} | {text(reason)} |"
                for t, reason in sorted(plan.allowed_types.items())
            ),
        ]
    lines += ["", "### Resources", "", "| resource | type | protected |", "| --- | --- | --- |"]
    lines += [
        f"| {code(r.name)} | {code(r.type)} | {'yes' if r.protect else ''} |"
        for r in plan.resources
    ]
    return "\n".join(lines) + "\n"


def _resource_tree(plan: Plan) -> Tree:
    tree = Tree(f"[bold]{plan.project}-{plan.stack}[/bold]")
    children: dict[str, list[str]] = {}
    by_urn = {resource.urn: resource for resource in plan.resources}
    for resource in plan.resources:
        children.setdefault(resource.parent if resource.parent in by_urn else "", []).append(
            resource.urn
        )

    def attach(parent_urn: str, node: Tree) -> None:
        for urn in children.get(parent_urn, []):
            resource = by_urn[urn]
            label = f"{resource.name} [dim]{resource.type}[/dim]"
            if resource.protect:
                label += " [yellow]protected[/yellow]"
            attach(urn, node.add(label))

    attach("", tree)
    return tree


def print_summary(plan: Plan, console: Console, show_tree: bool = True) -> None:
    counts = Table(title=f"{plan.project} / {plan.stack}: {_verdict(plan)}", title_justify="left")
    counts.add_column("resource type")
    counts.add_column("count", justify="right")
    for typ, count in counts_by_type(plan):
        counts.add_row(typ, str(count))
    console.print(counts)
    if show_tree:
        console.print(_resource_tree(plan))
    for type_, reason in sorted(plan.allowed_types.items()):
        console.print(f"[cyan]allowed without review[/cyan] {type_}\n    {reason}")
    for violation in plan.violations:
        style = "red" if violation.enforcement == "mandatory" else "yellow"
        console.print(
            f"[{style}]{violation.enforcement}[/{style}] {violation.policy}: "
            f"{violation.urn}\n    {violation.message}"
        )
