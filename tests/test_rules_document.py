"""The rules document in the repository is the registry's, word for word."""

from __future__ import annotations

from support.plans import REPO
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.rules import RULES
from mlops_estate.rules.document import DOCUMENT_PATH, rules_markdown


def test_the_committed_rules_document_matches_the_registry() -> None:
    committed = (REPO / DOCUMENT_PATH).read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        f"{DOCUMENT_PATH} is out of date: run `estate rules --markdown {DOCUMENT_PATH}`"
    )


def test_every_rule_is_documented_with_its_level_check_and_fix() -> None:
    document = rules_markdown()
    for rule in RULES:
        (row,) = [line for line in document.splitlines() if line.startswith(f"| `{rule.name}` |")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1:4] == [rule.enforcement, rule.scope, "yes" if rule.live else "no"]
        assert cells[4] == rule.description and cells[5].lower().startswith(rule.fix[:20].lower())


def test_estate_rules_prints_the_document() -> None:
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0 and result.output == rules_markdown()
