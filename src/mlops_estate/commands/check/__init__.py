"""`estate check PLAN.json`: the rules' verdict on a plan, recomputed from its resources.

This is how CI judges a pull request without running its code: the head's plan is data, the
rules and the stack config come from elsewhere (the base branch, and the config as committed),
and nothing the plan file says about its own violations is believed.
"""

from __future__ import annotations

from ...rules import RULES, Violation, mandatory
from ..documents import EstateDocument
from ..markdown import code, text


def check_markdown(document: EstateDocument, violations: list[Violation]) -> str:
    """The verdict for a pull request comment: every rule, then each violation."""
    failing = mandatory(violations)
    verdict = (
        f"**{len(failing)} mandatory violation(s)**: this change must not merge."
        if failing
        else "No mandatory violation."
    )
    lines = [
        f"## Estate verdict: {code(document.stack)}",
        "",
        f"{verdict} {len(violations) - len(failing)} advisory.",
        "",
        "The rules of the base branch, run on the head's plan as data.",
        "",
        "| rule | level | verdict |",
        "| --- | --- | --- |",
    ]
    for rule in RULES:
        count = sum(1 for v in violations if v.policy == rule.name)
        lines.append(
            f"| `{rule.name}` | {rule.enforcement} | {f'FAIL ({count})' if count else 'pass'} |"
        )
    if violations:
        lines += ["", "| rule | resource | what to change |", "| --- | --- | --- |"]
        lines += [f"| `{v.policy}` | {code(v.urn)} | {text(v.message)} |" for v in violations]
    return "\n".join(lines) + "\n"
