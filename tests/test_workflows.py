"""The estate's own CI/CD: pull-request code never meets a credential it was not reviewed for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.plans import REPO
from support.workflows import (
    environments,
    findings,
    load,
    reviewed_environments,
    runs_pull_request_code,
    triggers,
)

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FIXTURES = REPO / "tests" / "fixtures" / "workflows"
BIN = Path(sys.executable).parent
README = (REPO / "README.md").read_text()
DEPLOY_BRANCHES = {"uat": ["develop"], "prod": ["release/*"]}
INSTALL_SCRIPT = REPO / ".github" / "scripts" / "install-pulumi.sh"


def check(path: Path, name: str | None = None) -> list[str]:
    return findings(name or path.name, load(path), reviewed_environments(README), DEPLOY_BRANCHES)


def test_actionlint_passes() -> None:
    result = subprocess.run(
        [BIN / "actionlint", "-no-color", *WORKFLOWS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_at_its_strictest() -> None:
    result = subprocess.run(
        [
            BIN / "zizmor",
            "--offline",
            "--no-progress",
            "--quiet",
            "--persona",
            "auditor",
            "--no-config",  # no zizmor.yml may silence a finding
            REPO / ".github",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_keeps_the_trust_boundary(path: Path) -> None:
    assert check(path) == []


def test_the_former_pull_request_workflow_breaks_it() -> None:
    """Head code with a write token in the same job, and an unverified Pulumi CLI."""
    assert check(FIXTURES / "pull-request-before.yml", "pull-request.yml") == [
        "pull-request.yml offline: runs pull-request code holding pull-requests: write",
        "pull-request.yml preview: installs the Pulumi CLI without a checksum check",
    ]


def test_the_former_prod_deployment_breaks_it() -> None:
    assert check(FIXTURES / "deploy-prod-before.yml", "deploy-prod.yml") == [
        "deploy-prod.yml up: does not take its runner from vars.PULUMI_RUNNER_PROD",
        "deploy-prod.yml up: installs the Pulumi CLI without a checksum check",
        "deploy-prod.yml: starts from {'push': {'branches': ['release/**']}}, not only "
        "{'push': {'branches': ['release/*']}}",
        "deploy-prod.yml up: does not check the branch it deploys from",
        "deploy-prod.yml up: its first step does not re-check the branch",
        "deploy-prod.yml up: runs pulumi up without a pulumi preview before it",
    ]


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (
            lambda w: w["jobs"]["plan"]["permissions"].update({"id-token": "write"}),
            "pull-request.yml plan: runs pull-request code holding id-token: write",
        ),
        (
            lambda w: w["jobs"]["tests"]["permissions"].update({"contents": "write"}),
            "pull-request.yml tests: runs pull-request code holding contents: write",
        ),
        (
            lambda w: w["jobs"]["plan"].pop("permissions"),
            None,
        ),  # the workflow's own `permissions: {}` then applies
        (
            lambda w: w["jobs"]["plan"]["steps"].append({"uses": "azure/login@abc"}),
            "pull-request.yml plan: runs pull-request code and logs in to a cloud",
        ),
        (
            lambda w: w["jobs"]["plan"]["steps"].append(
                {"run": "curl -fsSL https://get.pulumi.com | sh"}
            ),
            "pull-request.yml plan: installs the Pulumi CLI without a checksum check",
        ),
        (
            lambda w: w["jobs"]["plan"]["permissions"].update({"actions": "write"}),
            "pull-request.yml plan: runs pull-request code holding actions: write",
        ),
        (
            lambda w: w["jobs"]["plan"]["permissions"].update({"statuses": "write"}),
            "pull-request.yml plan: runs pull-request code holding statuses: write",
        ),
        (
            lambda w: w["jobs"]["plan"].update({"permissions": "read-all"}),
            "pull-request.yml plan: runs pull-request code with a read-all token",
        ),
        (
            lambda w: w["jobs"]["plan"]["steps"].append({"uses": "Azure/Login@abc"}),
            "pull-request.yml plan: runs pull-request code and logs in to a cloud",
        ),
    ],
    ids=[
        "id-token",
        "contents-write",
        "workflow-permissions",
        "cloud-login",
        "unverified-cli",
        "actions-write",
        "statuses-write",
        "read-all",
        "cloud-login-any-case",
    ],
)
def test_each_breach_of_the_pull_request_workflow_is_found(change, finding) -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    change(workflow)
    expected = [finding] if finding else []
    assert (
        findings("pull-request.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES)
        == expected
    )


@pytest.mark.parametrize(
    ("on", "finding"),
    [
        ({"push": {"branches": ["develop"]}, "workflow_dispatch": None}, "workflow_dispatch"),
        ({"push": {"branches": ["develop", "feature/*"]}}, "feature/*"),
        ({"pull_request": {"branches": ["develop"]}}, "pull_request"),
    ],
    ids=["dispatch", "other-branch", "pull-request"],
)
def test_a_deployment_starts_only_from_a_push_to_its_branches(on: dict, finding: str) -> None:
    workflow = load(REPO / ".github" / "workflows" / "deploy-uat.yml")
    workflow["on"] = on
    found = findings("deploy-uat.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES)
    starts = [f for f in found if "starts from" in f]
    assert starts == [
        f"deploy-uat.yml: starts from {on}, not only {{'push': {{'branches': ['develop']}}}}"
    ]
    assert finding in starts[0]


def test_the_credentialed_preview_runs_only_behind_reviewed_environments() -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request-preview.yml")
    (job,) = workflow["jobs"].values()
    assert runs_pull_request_code(workflow, job)
    assert job["permissions"]["id-token"] == "write"
    assert environments(job) == {"uat-preview", "prod-preview"}
    assert environments(job) <= reviewed_environments(README)
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "--policy-pack trusted/policy" in runs


def test_the_verdict_runs_the_base_branch_code_on_the_head_plan_as_data() -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request-verdict.yml")
    assert triggers(workflow) == {"workflow_run"}
    assert not any(runs_pull_request_code(workflow, j) for j in workflow["jobs"].values())
    job = workflow["jobs"]["verdict"]
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert [s["with"]["ref"] for s in checkouts] == ["${{ steps.pr.outputs.base }}"]
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "trusted/.venv/bin/estate check head/plan.json --config head-config.yaml" in runs
    assert "pip install" not in runs.replace("pip install -q -e ./trusted", "")


def test_the_readme_documents_which_environments_need_reviewers() -> None:
    assert reviewed_environments(README) == {"uat-preview", "prod-preview", "uat", "prod"}
    branch_rules = dict(
        re.findall(r"^\| `(uat|prod)` \| \w+ \| \w+ \| `([^`]+)` only", README, flags=re.MULTILINE)
    )
    assert branch_rules == {"uat": "develop", "prod": "release/*"}
    assert [DEPLOY_BRANCHES[stack] for stack in ("uat", "prod")] == [
        [branch_rules["uat"]],
        [branch_rules["prod"]],
    ]


def test_the_pulumi_cli_is_pinned_in_one_place_and_verified() -> None:
    script = INSTALL_SCRIPT.read_text()
    (version,) = re.findall(r"^PULUMI_VERSION=(\d+\.\d+\.\d+)$", script, flags=re.MULTILINE)
    assert re.search(r"^PULUMI_SHA256=[0-9a-f]{64}$", script, flags=re.MULTILINE)
    assert "sha256sum --check --strict" in script
    assert f'"pulumi=={version}"' in (REPO / "pyproject.toml").read_text()
    for path in WORKFLOWS:
        assert "PULUMI_VERSION" not in path.read_text(), path.name


def test_code_owners_review_what_guards_the_estate() -> None:
    owners = {
        line.split()[0]: line.split()[1:]
        for line in (REPO / ".github" / "CODEOWNERS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    guarded = [
        "*",
        "/.github/",
        "/policy/",
        "/src/mlops_estate/rules/",
        "/src/mlops_estate/config/",
        "/Pulumi.*.yaml",
        "/pyproject.toml",
        "/src/mlops_estate/commands/check/",
        "/src/mlops_estate/commands/plan/",
    ]
    assert {path: owners.get(path) for path in guarded} == {
        path: ["@contoso/ml-platform"] for path in guarded
    }


def test_a_job_in_a_deployment_environment_is_held_to_its_branches_in_any_file() -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    workflow["jobs"]["sneak"] = {
        "environment": "prod",
        "permissions": {"id-token": "write"},
        "steps": [{"run": "pulumi up --stack prod --yes"}],
    }
    found = findings("pull-request.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES)
    assert found == [
        "pull-request.yml: starts from {'pull_request': {'branches': ['develop', 'main', "
        "'release/*'], 'types': ['opened', 'synchronize', 'reopened', 'edited']}}, not only "
        "{'push': {'branches': ['release/*']}}",
        "pull-request.yml sneak: does not check the branch it deploys from",
        "pull-request.yml sneak: its first step does not re-check the branch",
        "pull-request.yml sneak: runs `pulumi up --stack prod --yes` without --policy-pack policy",
        "pull-request.yml sneak: runs pulumi up without a pulumi preview before it",
    ]


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        (
            lambda run: run.replace(
                "pulumi up --stack prod --policy-pack policy", "pulumi up --stack prod"
            ),
            "deploy-prod.yml up: runs `pulumi up --stack prod --yes --non-interactive` without "
            "--policy-pack policy",
        ),
        (
            lambda run: run.replace("pulumi preview", "true || pulumi-preview"),
            "deploy-prod.yml up: runs pulumi up without a pulumi preview before it",
        ),
    ],
    ids=["up-without-pack", "no-preview"],
)
def test_a_deployment_previews_with_the_pack_before_it_changes_anything(edit, finding) -> None:
    workflow = load(REPO / ".github" / "workflows" / "deploy-prod.yml")
    for step in workflow["jobs"]["up"]["steps"]:
        if "run" in step:
            step["run"] = edit(step["run"])
    found = findings("deploy-prod.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES)
    assert found == [finding]


def test_the_verdict_answers_only_pull_request_runs_of_the_plan_workflow() -> None:
    workflow = load(REPO / ".github" / "workflows" / "pull-request-verdict.yml")
    assert workflow["on"] == {
        "workflow_run": {"workflows": ["pull request"], "types": ["requested", "completed"]}
    }
    assert {job_id: job["if"] for job_id, job in workflow["jobs"].items()} == {
        "pending": "github.event.workflow_run.event == 'pull_request' && "
        "github.event.action == 'requested'",
        "verdict": "github.event.workflow_run.event == 'pull_request' && "
        "github.event.action == 'completed'",
    }
    assert load(REPO / ".github" / "workflows" / "pull-request.yml")["name"] == "pull request"
    steps = workflow["jobs"]["verdict"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    # Exactly one open pull request with this head commit, whatever its branch; the head's
    # names are compared as data, and the base must be a branch the estate deploys from.
    assert "select(.head.sha == $sha)" in runs and "$HEAD_BRANCH\\" not in runs
    assert "^(develop|main|release/[^/]+)$" in runs
    status = runs.index('statuses/$HEAD_SHA" -f state="$state"')
    assert status < runs.index("gh pr comment")
    assert "head -c 60000 comment.md | sed '$d'" in runs
    # The token reaches only the steps that call the API.
    assert "GH_TOKEN" not in workflow["jobs"]["verdict"]["env"]
    assert [s.get("name") for s in steps if "GH_TOKEN" in s.get("env", {})] == [
        "Find the one pull request of this head, into a branch the estate deploys from",
        "Read the head's stack config, as data",
        "Set the status, then comment",
    ]


@pytest.mark.parametrize(
    ("workflow", "finding"),
    [
        (
            {
                "on": {"pull_request_target": None},
                "jobs": {"build": {"permissions": {}, "steps": []}},
            },
            "x.yml: runs on pull_request_target, with the base's rights",
        ),
        (
            {
                "on": {"workflow_run": None},
                "jobs": {
                    "build": {
                        "permissions": {"pull-requests": "write"},
                        "steps": [
                            {
                                "uses": "actions/checkout@x",
                                "with": {"repository": "${{ env.FORK }}"},
                            }
                        ],
                    }
                },
            },
            "x.yml build: runs pull-request code holding pull-requests: write",
        ),
        (
            {
                "on": {"workflow_run": None},
                "jobs": {
                    "build": {
                        "permissions": {"statuses": "write"},
                        "steps": [{"run": "gh pr checkout 7 && make"}],
                    }
                },
            },
            "x.yml build: runs pull-request code holding statuses: write",
        ),
        (
            {"on": {"push": None}, "jobs": {"call": {"uses": "./.github/workflows/deploy.yml"}}},
            "x.yml call: calls a reusable workflow, which these checks cannot read",
        ),
        (
            {
                "on": {"push": None},
                "jobs": {"e": {"environment": "${{ github.head_ref }}", "steps": []}},
            },
            "x.yml e: names its environment with an expression",
        ),
        (
            {"on": {"push": None}, "jobs": {"d": {"steps": [{"run": "pulumi destroy --yes"}]}}},
            "x.yml d: runs `pulumi destroy`, which CI never runs",
        ),
        (
            {
                "on": {"pull_request": None},
                "jobs": {
                    "t": {"permissions": {}, "env": {"T": "${{ secrets.TOKEN }}"}, "steps": []}
                },
            },
            "x.yml t: runs pull-request code with a secret",
        ),
    ],
    ids=[
        "pull-request-target",
        "other-repository",
        "gh-checkout",
        "reusable",
        "expression-environment",
        "destroy",
        "secret",
    ],
)
def test_each_way_around_the_checks_is_found(workflow: dict, finding: str) -> None:
    assert findings("x.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES) == [finding]


HOSTED_ONLY = "runs pull-request code on a runner that may be self-hosted"
DEPLOYMENTS_ONLY = (
    "takes the in-network runner, which only deployments from protected branches may use"
)


@pytest.mark.parametrize(
    ("path", "job", "runner", "finding"),
    [
        (
            "pull-request.yml",
            "plan",
            "${{ vars.PULUMI_RUNNER_UAT || 'ubuntu-24.04' }}",
            f"pull-request.yml plan: {HOSTED_ONLY}\npull-request.yml plan: {DEPLOYMENTS_ONLY}",
        ),
        ("pull-request.yml", "tests", "self-hosted", f"pull-request.yml tests: {HOSTED_ONLY}"),
        (
            "pull-request-preview.yml",
            "preview",
            "${{ matrix.stack == 'prod' && (vars.PULUMI_RUNNER_PROD || 'ubuntu-24.04') || "
            "(vars.PULUMI_RUNNER_UAT || 'ubuntu-24.04') }}",
            f"pull-request-preview.yml preview: {HOSTED_ONLY}\n"
            f"pull-request-preview.yml preview: {DEPLOYMENTS_ONLY}",
        ),
        (
            "pull-request-preview.yml",
            "preview",
            "[self-hosted, mlops-uat-private]",
            f"pull-request-preview.yml preview: {HOSTED_ONLY}",
        ),
        (
            "pull-request-verdict.yml",
            "verdict",
            "${{ vars.PULUMI_RUNNER_UAT }}",
            f"pull-request-verdict.yml verdict: {DEPLOYMENTS_ONLY}",
        ),
        (
            "deploy-uat.yml",
            "up",
            "${{ vars.PULUMI_RUNNER_PROD || 'ubuntu-24.04' }}",
            "deploy-uat.yml up: does not take its runner from vars.PULUMI_RUNNER_UAT\n"
            "deploy-uat.yml up: may take prod's runner",
        ),
        ("pull-request-preview.yml", "preview", "ubuntu-24.04", ""),
        ("deploy-prod.yml", "up", "${{ vars.PULUMI_RUNNER_PROD || 'ubuntu-24.04' }}", ""),
    ],
    ids=[
        "plan-on-a-variable",
        "tests-self-hosted",
        "preview-on-the-deploy-runner",
        "preview-self-hosted",
        "verdict-on-the-deploy-runner",
        "uat-on-prods-runner",
        "preview-hosted-keeps-it",
        "prod-deploy-in-network-keeps-it",
    ],
)
def test_runners_private_deploys_and_hosted_pull_request_code(
    path: str, job: str, runner: str, finding: str
) -> None:
    """Only deployments from protected branches run on the in-network runner (the stack's
    runner variable); pull-request code, reviewed preview included, only on GitHub-hosted
    runners, which no job after it shares."""
    workflow = load(REPO / ".github" / "workflows" / path)
    workflow["jobs"][job]["runs-on"] = runner
    found = findings(path, workflow, reviewed_environments(README), DEPLOY_BRANCHES)
    assert [line for line in found if "runner" in line] == [x for x in finding.split("\n") if x]


def test_a_deployment_environment_matches_in_any_case() -> None:
    workflow = load(REPO / ".github" / "workflows" / "deploy-prod.yml")
    workflow["jobs"]["up"]["environment"] = "Prod"
    workflow["jobs"]["up"]["if"] = "github.ref != ''"
    found = findings("deploy-prod.yml", workflow, reviewed_environments(README), DEPLOY_BRANCHES)
    assert found == ["deploy-prod.yml up: does not check the branch it deploys from"]


def test_only_the_verdict_trigger_is_silenced_for_zizmor() -> None:
    ignores = {
        (path.name, rule)
        for path in (REPO / ".github").rglob("*")
        if path.is_file()
        for rule in re.findall(r"zizmor: ignore\[([\w-]+)\]", path.read_text())
    }
    assert ignores == {("pull-request-verdict.yml", "dangerous-triggers")}


def test_the_install_script_verifies_the_archive_before_it_unpacks_it() -> None:
    lines = [line for line in INSTALL_SCRIPT.read_text().splitlines() if not line.startswith("#")]
    assert "set -euo pipefail" in lines
    download = next(i for i, line in enumerate(lines) if line.startswith("curl "))
    verify = next(i for i, line in enumerate(lines) if "sha256sum --check --strict" in line)
    unpack = next(i for i, line in enumerate(lines) if line.startswith("tar "))
    run = next(i for i, line in enumerate(lines) if '"$RUNNER_TEMP/pulumi/pulumi"' in line)
    assert download < verify < unpack < run
    assert "https://github.com/pulumi/pulumi/releases/download/v${PULUMI_VERSION}/" in "\n".join(
        lines
    )
