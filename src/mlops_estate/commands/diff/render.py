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
    if result.trust_changed:
        lines += [
            "### Trust changed",
            "",
            "The stack config changes what the rules trust: review this first, since every "
            "verdict below is judged by it.",
            "",
            "| what | before | after |",
            "| --- | --- | --- |",
            *(
                f"| {code(change['what'])} | {code(_short(change['before']))} | "
                f"{code(_short(change['after']))} |"
                for change in result.trust_changed
            ),
            "",
        ]
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
        f"- moved {code(m['from'])} to {code(m['to'])} (aliased: the resource is kept)"
        for m in result.moved
    ]
    lines += [
        f"- renamed {code(r['from'])} to {code(r['to'])} (no alias: Pulumi replaces it)"
        for r in result.renamed
    ]
    for change in result.changed:
        lines.append(f"- changed {code(change['urn'])}")
        lines += [
            f"  - {code(key)}: {code(_short(values['before']))} → {code(_short(values['after']))}"
            for key, values in change["properties"].items()
        ]
    return "\n".join(lines) + "\n"
