"""Reading GitHub Actions workflows for the properties the estate's CI/CD relies on.

The checks here are the trust boundary written down: which jobs run pull-request code, what
credentials they hold, how the Pulumi CLI is installed, and what may start a deployment.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import yaml

CLOUD_LOGINS = (
    "azure/login",
    "aws-actions/configure-aws-credentials",
    "google-github-actions/auth",
)
LOGIN_COMMANDS = re.compile(r"\b(az login|pulumi login|gcloud auth|aws configure)\b")
PULUMI_DOWNLOADS = re.compile(r"get\.pulumi\.com|pulumi/pulumi/releases|pulumi/releases")
PULUMI_ACTIONS = ("pulumi/actions", "pulumi/setup-pulumi")
VERIFIED_INSTALL = "/.github/scripts/install-pulumi.sh"
MATRIX_REFERENCE = re.compile(r"\$\{\{\s*matrix\.(\w+)\s*\}\}")
# Commands that fetch other code into a job, whatever the checkout step says.
FETCHES_CODE = re.compile(r"\b(gh pr checkout|git (fetch|checkout|switch|worktree|pull))\b")
# The only refs a job under a privileged trigger may check out: the default, or the base.
TRUSTED_REFS = {None, "${{ steps.pr.outputs.base }}", "${{ github.event.pull_request.base.sha }}"}
# GitHub-hosted runner labels: a fresh virtual machine per job
# (https://docs.github.com/actions/using-github-hosted-runners/about-github-hosted-runners).
GITHUB_HOSTED = re.compile(r"(ubuntu|windows|macos)-[\w.-]+")
# Where a deployment job (a push to a protected branch, in that stack's environment) takes its
# runner from: a repository variable naming the self-hosted runner in that stack's network
# (README, "Private networking"), GitHub-hosted while it is unset. No other job may name it.
RUNNER_VARIABLE = "vars.PULUMI_RUNNER_{stack}"
IN_NETWORK_RUNNER = "vars.PULUMI_RUNNER_"
# Pulumi commands the estate never runs from CI.
UNUSED_PULUMI = re.compile(r"\bpulumi (destroy|refresh|import|state)\b")
# How a deployment job checks its branch, in its `if:` and in its first step.
BRANCH_CHECKS = {
    "uat": (
        "github.event_name == 'push' && github.ref == 'refs/heads/develop'",
        'test "$GITHUB_REF" = refs/heads/develop',
    ),
    "prod": (
        "github.event_name == 'push' && startsWith(github.ref, 'refs/heads/release/')",
        '[[ "$GITHUB_REF" =~ ^refs/heads/release/[^/]+$ ]]',
    ),
}


def load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True)  # PyYAML reads the key `on` as True
    return workflow


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def _uses(step: dict[str, Any]) -> str:
    """The action a step uses, as GitHub matches it: owner and name are case-insensitive."""
    return str(step.get("uses", "")).split("@")[0].lower()


def _fetches_other_code(step: dict[str, Any]) -> bool:
    """A checkout of anything but the default ref or the base, or a fetch in a script."""
    if _uses(step) == "actions/checkout":
        options = step.get("with", {})
        return "repository" in options or options.get("ref") not in TRUSTED_REFS
    return bool(FETCHES_CODE.search(str(step.get("run", ""))))


def runs_pull_request_code(workflow: dict[str, Any], job: dict[str, Any]) -> bool:
    """Under `pull_request`, the head's version of the workflow runs: every job is the head's.
    Elsewhere, a job runs pull-request code if it fetches any code but the base's."""
    if triggers(workflow) & {"pull_request"}:
        return True
    return any(_fetches_other_code(step) for step in job.get("steps", []))


def environments(job: dict[str, Any]) -> set[str]:
    """The environment names a job may run in, with `${{ matrix.x }}` expanded."""
    environment = job.get("environment")
    if isinstance(environment, dict):
        environment = environment.get("name")
    if not environment:
        return set()
    environment = str(environment).lower()  # GitHub's environment names ignore case
    matrix = job.get("strategy", {}).get("matrix", {})
    names = MATRIX_REFERENCE.findall(environment)
    values = itertools.product(*(matrix.get(name, [name]) for name in names))
    expanded = set()
    for combination in values:
        value = environment
        for name, item in zip(names, combination, strict=True):
            value = re.sub(r"\$\{\{\s*matrix\." + name + r"\s*\}\}", str(item), value)
        expanded.add(value)
    return expanded


def _permissions(workflow: dict[str, Any], job: dict[str, Any]) -> dict[str, str] | str:
    return job.get("permissions", workflow.get("permissions", "write-all"))


def _logs_in(step: dict[str, Any]) -> bool:
    return _uses(step) in CLOUD_LOGINS or bool(LOGIN_COMMANDS.search(str(step.get("run", ""))))


def _installs_pulumi(step: dict[str, Any]) -> bool:
    run = str(step.get("run", ""))
    return (
        _uses(step) in PULUMI_ACTIONS
        or bool(PULUMI_DOWNLOADS.search(run))
        or VERIFIED_INSTALL in f"/{run}"
    )


def _verified(step: dict[str, Any]) -> bool:
    return VERIFIED_INSTALL in f"/{step.get('run', '')}"


def reviewed_environments(readme: str) -> set[str]:
    """Environments the README's settings table says require reviewers."""
    rows = re.findall(r"^\| `([\w-]+)` \| (yes|no) \|", readme, flags=re.MULTILINE)
    return {name for name, reviewers in rows if reviewers == "yes"}


def _pulumi_commands(steps: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(step index, command line) of each `pulumi preview` or `pulumi up` a job runs."""
    return [
        (index, line.strip())
        for index, step in enumerate(steps)
        for line in str(step.get("run", "")).splitlines()
        if re.match(r"\s*pulumi (preview|up)\b", line)
    ]


def _deployment_findings(
    name: str,
    workflow: dict[str, Any],
    job_id: str,
    job: dict[str, Any],
    environment: str,
    branches: list[str],
) -> list[str]:
    where = f"{name} {job_id}"
    found = []
    expected = {"push": {"branches": branches}}
    if workflow["on"] != expected:
        found.append(f"{name}: starts from {workflow['on']}, not only {expected}")
    condition, first_check = BRANCH_CHECKS[environment]
    if job.get("if") != condition:
        found.append(f"{where}: does not check the branch it deploys from")
    first = job.get("steps", [{}])[0]
    if str(first.get("run", "")).strip() != first_check:
        found.append(f"{where}: its first step does not re-check the branch")
    commands = _pulumi_commands(job.get("steps", []))
    for _, command in commands:
        if "--policy-pack policy" not in command:
            found.append(f"{where}: runs `{command}` without --policy-pack policy")
    previews = [index for index, command in commands if command.startswith("pulumi preview")]
    ups = [index for index, command in commands if command.startswith("pulumi up")]
    if ups and not (previews and min(previews) < min(ups)):
        found.append(f"{where}: runs pulumi up without a pulumi preview before it")
    return found


def _runner_findings(
    where: str, workflow: dict[str, Any], job: dict[str, Any], deployments: set[str]
) -> list[str]:
    """Pull-request code, reviewed or not, only on GitHub-hosted runners; the in-network
    runner only for deployments.

    A self-hosted runner is not a fresh machine unless it is ephemeral, and it sits in the
    network that reaches the private workspace and storage: a job on it could leave a process
    behind for the next deployment, or reach the private endpoints with no credential at all
    (https://docs.github.com/actions/security-for-github-actions/security-guides/
    security-hardening-for-github-actions#hardening-for-self-hosted-runners: "self-hosted
    runners should almost never be used for public repositories", and "be cautious" of what
    a job can reach from its machine). An environment's reviewer approves reading code with
    credentials, not moving it into the private network, so the preview stays hosted too.
    """
    found = []
    runner = str(job.get("runs-on", ""))
    head = runs_pull_request_code(workflow, job)
    deploy = sorted(environments(job) & deployments)
    if head and "runs-on" in job and not GITHUB_HOSTED.fullmatch(runner):
        found.append(f"{where}: runs pull-request code on a runner that may be self-hosted")
    if IN_NETWORK_RUNNER in runner and (head or not deploy):
        found.append(
            f"{where}: takes the in-network runner, which only deployments from protected "
            "branches may use"
        )
    if deploy and not head and _pulumi_commands(job.get("steps", [])):
        for stack in deploy:
            variable = RUNNER_VARIABLE.format(stack=stack.upper())
            if variable not in runner:
                found.append(f"{where}: does not take its runner from {variable}")
            for other in deployments - {stack}:
                if RUNNER_VARIABLE.format(stack=other.upper()) in runner:
                    found.append(f"{where}: may take {other}'s runner")
    return found


def findings(
    name: str, workflow: dict[str, Any], reviewed: set[str], deploy_branches: dict[str, list[str]]
) -> list[str]:
    """Every way a workflow breaks the estate's trust boundary, one line each.

    `deploy_branches` maps each deployment environment to the only branches it deploys from:
    any job in that environment, whatever its file, is held to them.
    """
    found: list[str] = []
    if "pull_request_target" in triggers(workflow):
        found.append(f"{name}: runs on pull_request_target, with the base's rights")
    for job_id, job in workflow.get("jobs", {}).items():
        where = f"{name} {job_id}"
        steps = job.get("steps", [])
        if "uses" in job:
            found.append(f"{where}: calls a reusable workflow, which these checks cannot read")
        if "${{" in str(job.get("environment", "")) and not MATRIX_REFERENCE.search(
            str(job.get("environment"))
        ):
            found.append(f"{where}: names its environment with an expression")
        for step in steps:
            command = UNUSED_PULUMI.search(str(step.get("run", "")))
            if command:
                found.append(f"{where}: runs `{command.group(0)}`, which CI never runs")
        if runs_pull_request_code(workflow, job) and not (
            environments(job) and environments(job) <= reviewed
        ):
            permissions = _permissions(workflow, job)
            if permissions in ("write-all", "read-all"):
                found.append(f"{where}: runs pull-request code with a {permissions} token")
            elif isinstance(permissions, dict):
                found += [
                    f"{where}: runs pull-request code holding {scope}: {level}"
                    for scope, level in permissions.items()
                    if (scope, level) != ("contents", "read")
                ]
            if any(_logs_in(step) for step in steps):
                found.append(f"{where}: runs pull-request code and logs in to a cloud")
            if "secrets." in str(job):
                found.append(f"{where}: runs pull-request code with a secret")
        found += _runner_findings(where, workflow, job, set(deploy_branches))
        installs = [index for index, step in enumerate(steps) if _installs_pulumi(step)]
        logins = [index for index, step in enumerate(steps) if _logs_in(step)]
        for index in installs:
            if not _verified(steps[index]):
                found.append(f"{where}: installs the Pulumi CLI without a checksum check")
            elif logins and index > min(logins):
                found.append(f"{where}: installs the Pulumi CLI after logging in")
        for environment in sorted(environments(job) & set(deploy_branches)):
            found += _deployment_findings(
                name, workflow, job_id, job, environment, deploy_branches[environment]
            )
    return found
