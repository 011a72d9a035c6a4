"""The estate's own CI/CD: GitHub Actions workflows, linted and held to least privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.plans import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def load(name: str) -> dict:
    # PyYAML reads the `on:` key as True.
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())


def test_actionlint_passes() -> None:
    result = subprocess.run(
        [BIN / "actionlint", "-no-color", *WORKFLOWS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", "--quiet", REPO / ".github" / "workflows"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits_and_permissions_start_empty(path: Path) -> None:
    text = path.read_text()
    for action in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {}
    assert "client-secret" not in text and "AZURE_CLIENT_SECRET" not in text


def test_pull_requests_plan_offline_then_preview_with_the_policy_pack() -> None:
    workflow = load("pull-request.yml")
    offline, preview = workflow["jobs"]["offline"], workflow["jobs"]["preview"]
    assert "id-token" not in offline["permissions"]
    assert (
        offline["strategy"]["matrix"]["stack"]
        == preview["strategy"]["matrix"]["stack"]
        == ["uat", "prod"]
    )
    offline_steps = " ".join(step.get("run", "") for step in offline["steps"])
    assert "estate plan" in offline_steps and "estate diff base.json head.json" in offline_steps
    preview_steps = " ".join(step.get("run", "") for step in preview["steps"])
    assert 'pulumi preview --stack "$STACK" --diff --policy-pack policy' in preview_steps
    assert preview["permissions"]["id-token"] == "write"
    assert preview["needs"] == "offline"


@pytest.mark.parametrize(
    ("name", "branch", "stack"),
    [("deploy-uat.yml", "develop", "uat"), ("deploy-prod.yml", "release/**", "prod")],
)
def test_deployments_run_per_stack_behind_an_environment(
    name: str, branch: str, stack: str
) -> None:
    workflow = load(name)
    assert workflow[True]["push"]["branches"] == [branch]
    assert workflow["concurrency"] == {"group": f"pulumi-{stack}", "cancel-in-progress": False}
    (job,) = workflow["jobs"].values()
    assert job["environment"] == stack
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert f"pulumi up --stack {stack} --policy-pack policy --yes" in runs
