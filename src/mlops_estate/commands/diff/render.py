"""A diff as JSON, and as Markdown for a pull request: access first."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..markdown import code
from .access import Access
from .compare import EstateDiff


def diff_json(result: EstateDiff, stack: str) -> str:
    return (
        json.dumps({"stack": stack, **asdict(result)}, indent=2, sort_keys=True, default=str) + "\n"
    )


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _access_rows(accesses: list[Access]) -> list[str]:
    return [f"| {code(a.principal)} | {a.kind} {code(a.access)} | {code(a.on)} |" for a in accesses]


def diff_markdown(result: EstateDiff, stack: str) -> str:
    lines = [f"## Estate diff: {code(stack)}", ""]
    if result.empty:
        return "\n".join([*lines, "No changes.", ""])
    for title, accesses in (
        ("Access gained", result.access_gained),
        ("Access lost", result.access_lost),
    ):
        if accesses:
            lines += [
                f"### {title}",
                "",
                "| principal | may now | on |"
                if title == "Access gained"
                else "| principal | may no longer | on |",
                "| --- | --- | --- |",
                *_access_rows(accesses),
                "",
            ]
    if not (result.access_gained or result.access_lost):
        lines += ["No access is gained or lost.", ""]
    lines += ["### Resources", ""]
    lines += [f"- added {code(urn)}" for urn in result.added]
    lines += [f"- removed {code(urn)}" for urn in result.removed]
    lines += [
        f"- renamed {code(r['from'])} to {code(r['to'])} (replaced unless aliased)"
        for r in result.renamed
    ]
    for change in result.changed:
        lines.append(f"- changed {code(change['urn'])}")
        lines += [
            f"  - {code(key)}: {code(_short(values['before']))} → {code(_short(values['after']))}"
            for key, values in change["properties"].items()
        ]
    return "\n".join(lines) + "\n"
