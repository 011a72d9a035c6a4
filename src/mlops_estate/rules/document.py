"""The rules document, generated from the registry.

`estate rules --markdown docs/isolation-rules.md` writes the repository's copy.
"""

from __future__ import annotations

import sys
from itertools import groupby

from .registry import RULES, Rule

DOCUMENT_PATH = "docs/isolation-rules.md"


def rules_markdown() -> str:
    """Every rule with its level, what it checks, how to fix a violation, and where it runs."""
    mandatory = sum(1 for rule in RULES if rule.enforcement == "mandatory")
    lines = [
        "# Isolation rules",
        "",
        "<!-- Generated from the rules' registry (src/mlops_estate/rules); do not edit by "
        "hand. -->",
        "",
        f"The estate's policy pack (`policy/`), `estate plan`, `estate report` and `estate "
        f"audit` evaluate these {len(RULES)} rules ({mandatory} mandatory, "
        f"{len(RULES) - mandatory} advisory). Rule names are stable: CI configs, auditors and "
        "tests refer to them.",
        "",
        "- **mandatory**: a violation fails `estate plan` (exit 1) and blocks `pulumi preview` "
        "and `pulumi up` with the policy pack;",
        "- **advisory**: reported, never blocking;",
        "- **scope**: `resource` rules need only the resource itself; `stack` rules also read "
        "other resources of the stack (bindings, the workspace, the deployer);",
        "- **live**: whether `estate audit` can show the rule on a live workspace.",
    ]
    for concern, rules in groupby(RULES, key=_concern):
        lines += [
            "",
            f"## {concern}",
            "",
            "| rule | level | scope | live | what it checks | how to fix a violation |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| `{rule.name}` | {rule.enforcement} | {rule.scope} | "
            f"{'yes' if rule.live else 'no'} | {rule.description} | "
            f"{rule.fix[0].upper()}{rule.fix[1:]}. |"
            for rule in rules
        ]
    return "\n".join(lines) + "\n"


def _concern(rule: Rule) -> str:
    """The title of the module that defines the rule: its docstring up to the colon."""
    return (sys.modules[rule.check.__module__].__doc__ or "").split(":")[0].strip()
