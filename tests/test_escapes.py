"""Hand-written programs that try to escape the rules, each caught by the rule meant for it.

Each file in `tests/escapes/` is code appended to the estate's own stack program, using the
estate's own providers (`opts` on the workspace, `account` on the account, `azure` on Azure).
Its header names the family of access paths it tries, the stacks it applies to, and every
mandatory violation it must raise (`# Caught: RULE on LOGICAL-NAME`, where `{stack}` in a name
stands for the stack's). `estate plan` must exit 1 with exactly those violations, on exactly
those URNs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.plans import add_to_program
from typer.testing import CliRunner

from mlops_estate.cli import app

ESCAPES_DIR = Path(__file__).parent / "escapes"
HEADER = re.compile(r"^# (Family|Stacks|Caught): (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Escape:
    name: str
    family: str
    stacks: tuple[str, ...]
    caught: frozenset[tuple[str, str]]
    """(rule, logical name of the resource that breaks it)"""
    program: str


def read_escape(path: Path) -> Escape:
    program = path.read_text()
    fields: dict[str, list[str]] = {}
    for key, value in HEADER.findall(program):
        fields.setdefault(key, []).append(value)
    pairs = (entry.split(" on ") for entry in fields["Caught"])
    return Escape(
        name=path.stem,
        family=fields["Family"][0],
        stacks=tuple(stack.strip() for stack in fields["Stacks"][0].split(",")),
        caught=frozenset((rule, name) for rule, name in pairs),
        program=program,
    )


ESCAPES = [read_escape(path) for path in sorted(ESCAPES_DIR.glob("*.py"))]
CASES = [(escape, stack) for escape in ESCAPES for stack in escape.stacks]


def plan_json(project: Path, stack: str) -> dict:
    result = CliRunner().invoke(
        app,
        ["plan", "--stack", stack, "--cwd", str(project), "--json", str(project / "plan.json")],
    )
    assert result.exit_code == 1, result.output
    return json.loads((project / "plan.json").read_text())


def test_the_escapes_cover_every_family() -> None:
    assert len(ESCAPES) >= 40
    assert {escape.family for escape in ESCAPES} == {
        "Unity Catalog grants on every securable type",
        "Owners",
        "Workspace admins, membership, rule sets, principals",
        "Object permissions, jobs, folders, compute",
        "Catalogs, bindings, storage",
        "Azure",
        "Secrets, providers, unknown types",
        "Private networking",
    }
    assert all(set(escape.stacks) <= {"uat", "prod"} and escape.caught for escape in ESCAPES)


@pytest.mark.parametrize(
    ("escape", "stack"), CASES, ids=[f"{escape.name}:{stack}" for escape, stack in CASES]
)
def test_escape_is_caught(project: Path, escape: Escape, stack: str) -> None:
    add_to_program(project, escape.program)
    document = plan_json(project, stack)
    urn_of = {resource["name"]: resource["urn"] for resource in document["resources"]}
    mandatory = {
        (violation["policy"], violation["urn"])
        for violation in document["violations"]
        if violation["enforcement"] == "mandatory"
    }
    assert mandatory == {
        (rule, urn_of[name.replace("{stack}", stack)]) for rule, name in escape.caught
    }


# Programs that reach into the rules' module state before registering a violation.
TAMPERING = {
    "clears-the-registry": """
import mlops_estate.rules.registry
mlops_estate.rules.registry.RULES.clear()
""",
    "replaces-evaluate": """
import sys
import mlops_estate.rules
sys.modules["mlops_estate.rules.evaluate"].evaluate = lambda *args, **kwargs: []
mlops_estate.rules.evaluate = lambda *args, **kwargs: []
""",
    "downgrades-every-rule": """
import dataclasses
from mlops_estate.rules import registry
registry.RULES[:] = [dataclasses.replace(r, enforcement="advisory") for r in registry.RULES]
""",
}


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_tampering_with_the_rules_changes_no_verdict(project: Path, tampering: str) -> None:
    add_to_program(project, TAMPERING[tampering] + 'databricks.Token("pat", opts=opts)\n')
    document = plan_json(project, "uat")
    assert {(v["policy"], v["enforcement"], v["urn"]) for v in document["violations"]} == {
        (
            "no-long-lived-secrets",
            "mandatory",
            "urn:pulumi:uat::mlops-estate::databricks:index/token:Token::pat",
        )
    }
