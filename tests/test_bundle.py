"""`estate bundle-targets`: an ML project's bundle deploys where the estate locked things down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support.plans import REPO, example_plan
from typer.testing import CliRunner

from mlops_estate.cli import app

runner = CliRunner()


def targets(*args: str) -> dict:
    result = runner.invoke(app, ["bundle-targets", "--cwd", str(REPO), *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Databricks Asset Bundle target")
    return yaml.safe_load(result.output)


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_target_names_locked_folder_deployer_and_catalog(stack: str) -> None:
    document = targets("--stack", stack, "--project", "churn")
    outputs = example_plan(stack).outputs
    target = document["targets"][stack]
    assert target["mode"] == "production"
    assert target["workspace"] == {
        "host": outputs["workspace"]["host"],
        "root_path": "/Deployments/mlops/churn",
    }
    assert target["run_as"] == {"service_principal_name": outputs["deployer"]["application_id"]}
    assert target["variables"] == {
        "catalog": f"mlops_{stack}",
        "features_schema": "churn_features",
        "models_schema": "churn_models",
    }
    assert set(document["variables"]) == {"catalog", "features_schema", "models_schema"}


def test_target_from_stack_outputs(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(example_plan("prod").outputs))
    document = targets("--stack", "prod", "--project", "fraud_detection", "--from", str(path))
    assert document["targets"]["prod"]["variables"]["models_schema"] == "fraud_detection_models"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "choose the ML project with --project: one of churn, demand_forecast"),
        (["--project", "pricing"], "--project 'pricing' is not an ML project of the estate"),
    ],
)
def test_project_must_be_one_of_the_estate(args: list[str], words: str) -> None:
    result = runner.invoke(app, ["bundle-targets", "--cwd", str(REPO), "--stack", "uat", *args])
    assert result.exit_code == 2
    assert words in result.output
