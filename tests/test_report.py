"""`estate report`: the auditor's view of a plan, a stack export or stack outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.plans import (
    HAND_WRITTEN_BREACHES,
    REPO,
    add_to_program,
    example_config,
    with_extra_program,
    write_stack,
)
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.rules import RULES

runner = CliRunner()


def plan_file(tmp_path: Path, stack: str, cwd: Path = REPO) -> Path:
    path = tmp_path / f"{stack}.json"
    result = runner.invoke(
        app, ["plan", "--stack", stack, "--cwd", str(cwd), "--json", str(path), "--no-tree"]
    )
    assert result.exit_code in (0, 1), result.output
    return path


def report(*args: str) -> str:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_report_has_matrix_rows_and_every_verdict(tmp_path: Path, stack: str) -> None:
    text = report(str(plan_file(tmp_path, stack)))
    assert text.startswith(f"# Estate report: {stack} ({stack})")
    assert "| catalog-isolated | mandatory | pass |  |" in text
    assert "| public-network-access-disabled | advisory | pass |  |" in text
    assert text.count(" | pass |") == len(RULES)
    runner = example_config(stack)["platform"]["runner"]["application_id"]
    assert (
        f"| mlops_{stack}.churn_models | schema | runner ({runner}) "
        "|  | USE_SCHEMA, SELECT, EXECUTE |  | USE_SCHEMA, SELECT, EXECUTE | "
        "USE_SCHEMA, SELECT, EXECUTE |"
    ) in text
    assert f"| federated subject | repo:contoso/ml-projects:environment:{stack} |" in text
    assert "| /Deployments/mlops | deployment | ml_engineers (ml-engineers) | CAN_RUN |" in text


def test_uat_report_shows_the_development_schema_and_promotion_readers(tmp_path: Path) -> None:
    text = report(str(plan_file(tmp_path, "uat")))
    assert (
        "| mlops_dev.feature_development | schema | runner "
        f"({example_config('uat')['platform']['runner']['application_id']}) "
        "|  | ALL_PRIVILEGES, MANAGE |"
    ) in text
    assert "promotion_readers (ml-prod-model-promoters)" in text


def test_prod_diagram_shows_the_promotion_path(tmp_path: Path) -> None:
    text = report(str(plan_file(tmp_path, "prod")))
    assert "n_catalog_mlops_uat -.->|read-only| n_prod_workspace" in text
    assert "n_catalog_mlops_prod -->|read-write| n_prod_workspace" in text


def test_report_of_a_breached_estate_names_the_failures(tmp_path: Path, project: Path) -> None:
    with_extra_program(project, "prod", HAND_WRITTEN_BREACHES)
    text = report(str(plan_file(tmp_path, "prod", project)))
    assert (
        "| catalog-isolated | mandatory | FAIL (1) | open: catalog isolation mode is OPEN" in text
    )
    assert "| no-long-lived-secrets | mandatory | FAIL (1) | pat:" in text


def test_markdown_and_html_are_deterministic(tmp_path: Path) -> None:
    source = plan_file(tmp_path, "uat")
    outputs = []
    for index in range(2):
        markdown, page = tmp_path / f"r{index}.md", tmp_path / f"r{index}.html"
        report(str(source), "--markdown", str(markdown), "--html", str(page))
        outputs.append((markdown.read_bytes(), page.read_bytes()))
    assert outputs[0] == outputs[1]


def test_stack_outputs_report_but_cannot_check_rules(tmp_path: Path) -> None:
    outputs = json.loads(plan_file(tmp_path, "prod").read_text())["outputs"]
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    text = report(str(path), "--stack", "prod")
    assert text.count("| not checked | stack outputs hold no resources |") == len(RULES)
    assert "| mlops_prod.churn_models | schema |" in text


def test_stack_export_is_checked_against_the_rules(tmp_path: Path, project: Path) -> None:
    with_extra_program(project, "prod", HAND_WRITTEN_BREACHES)
    plan = json.loads(plan_file(tmp_path, "prod", project).read_text())
    export = {
        "version": 3,
        "deployment": {
            "resources": [
                {
                    "urn": "urn:pulumi:prod::mlops-estate::pulumi:pulumi:Stack::mlops-estate-prod",
                    "type": "pulumi:pulumi:Stack",
                    "outputs": plan["outputs"],
                },
                *(
                    {
                        "urn": r["urn"],
                        "type": r["type"],
                        "inputs": r["inputs"],
                        "outputs": {},
                        "protect": r["protect"],
                    }
                    for r in plan["resources"]
                ),
            ]
        },
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    unchecked = report(str(path))
    assert unchecked.count("| not checked | no stack config to trust: pass --config") == len(RULES)
    text = report(str(path), "--config", str(project / "Pulumi.prod.yaml"))
    assert "Source: stack export. Every verdict is recomputed from the resources." in text
    assert (
        "| catalog-isolated | mandatory | FAIL (1) | open: catalog isolation mode is OPEN" in text
    )


def test_a_forged_verdict_in_a_plan_file_changes_nothing(tmp_path: Path, project: Path) -> None:
    with_extra_program(project, "prod", HAND_WRITTEN_BREACHES)
    path = plan_file(tmp_path, "prod", project)
    document = json.loads(path.read_text())
    document["violations"] = []
    path.write_text(json.dumps(document))
    text = report(str(path))
    assert "| catalog-isolated | mandatory | FAIL (1) |" in text
    assert "| no-long-lived-secrets | mandatory | FAIL (1) | pat: Token creates" in text
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1


def test_check_judges_with_the_config_it_is_given(tmp_path: Path, project: Path) -> None:
    """A plan that carries a forged config is judged by the stack file passed with --config."""
    path = plan_file(tmp_path, "prod", project)
    document = json.loads(path.read_text())
    forged = dict(document["config"], environment="uat")
    document["config"] = forged
    path.write_text(json.dumps(document))
    assert runner.invoke(app, ["check", str(path)]).exit_code == 2
    result = runner.invoke(
        app,
        [
            "check",
            str(path),
            "--config",
            str(REPO / "Pulumi.prod.yaml"),
            "--markdown",
            str(tmp_path / "verdict.md"),
        ],
    )
    assert result.exit_code == 0, result.output
    verdict = (tmp_path / "verdict.md").read_text()
    assert (
        "No mandatory violation." in verdict
        and "| `catalog-isolated` | mandatory | pass |" in verdict
    )


def test_unreadable_input_exits_2_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert "other.json: not an estate plan" in result.output


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium renders the page")
def test_html_renders_in_a_browser_with_the_matrix(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    report(str(plan_file(tmp_path, "prod")), "--html", str(page))
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    matrix = dom[dom.index('<section id="access-matrix">') :]
    matrix = matrix[: matrix.index("</section>")]
    assert "<td>mlops_prod.churn_models</td><td>schema</td>" in matrix
    assert "<td>USE_SCHEMA, SELECT, EXECUTE</td>" in matrix
    assert "<svg" in dom and "catalog mlops_uat" in dom


def test_an_allowed_type_is_shown_with_its_reason(tmp_path: Path, project: Path) -> None:
    reason = "a shared cluster for the onboarding course"
    estate = example_config("uat")
    estate["allowed_resource_types"] = [
        {"type": "databricks:index/cluster:Cluster", "reason": reason}
    ]
    write_stack(project, "uat", estate)
    add_to_program(
        project,
        'databricks.Cluster("course", spark_version="x", node_type_id="y", num_workers=1, '
        'data_security_mode="USER_ISOLATION", opts=opts)\n',
    )
    markdown = tmp_path / "plan.md"
    result = runner.invoke(
        app,
        [
            "plan",
            "--stack",
            "uat",
            "--cwd",
            str(project),
            "--json",
            str(tmp_path / "uat.json"),
            "--markdown",
            str(markdown),
            "--no-tree",
        ],
    )
    assert result.exit_code == 0, result.output
    row = f"| `databricks:index/cluster:Cluster` | {reason} |"
    assert row in markdown.read_text()
    assert f"allowed without review databricks:index/cluster:Cluster\n    {reason}" in result.output
    assert f"| databricks:index/cluster:Cluster | {reason} |" in report(str(tmp_path / "uat.json"))


def test_the_evidence_section_says_where_logs_go_what_auditors_query_and_which_keys(
    tmp_path: Path,
) -> None:
    text = report(str(plan_file(tmp_path, "prod")))
    section = text[text.index("## Evidence") :]
    assert "| Log Analytics workspace | /subscriptions/" in section
    assert "| retention | 730 days |" in section
    assert "| verbose audit logs | on |" in section
    assert "| Unity Catalog grants and owners changed in the last 30 days | SELECT " in section
    assert "in the evidence catalog mlops_prod_evidence, where only the view readers" in section
    assert "FROM mlops_prod_evidence.audit_evidence.permission_changes" in section
    assert "LIKE 'mlops_prod.%'" in section
    assert "| managed_services | https://kv-mlops-prod-keys.vault.azure.net/keys/" in section
