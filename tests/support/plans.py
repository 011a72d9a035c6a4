"""The committed example estate, its plans, and plans of programs that add resources by hand."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from mlops_estate.commands.plan.runner import Plan, run_plan
from mlops_estate.config import CONFIG_ROOT

REPO = Path(__file__).resolve().parents[2]

# Prepended to hand-written code, appended to the stack program: the estate's own providers,
# and workspace resources wait for the assigned principals as the estate's own do, so that a
# hand-written resource breaks only the rule it is written to break.
HAND_WRITTEN_PRELUDE = """
import pulumi
import pulumi_azure_native as azure_native
import pulumi_databricks as databricks
opts = pulumi.ResourceOptions(provider=environment.workspace_provider,
    depends_on=[environment.workspace_access.principals_visible])
account = pulumi.ResourceOptions(provider=environment.account_provider)
azure = pulumi.ResourceOptions(provider=environment.azure_provider)
"""

# Breaches of four rules, written by hand into the Prod stack's program.
HAND_WRITTEN_BREACHES = """
databricks.Catalog("open", name="open_cat", isolation_mode="OPEN", owner="ml-platform-admins",
                   opts=opts)
databricks.Grants("hand-grants", schema="mlops_prod.churn_models",
                  grants=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)
databricks.Permissions("hand-acl", directory_path="/Deployments/mlops", access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
databricks.Token("pat", lifetime_seconds=3600, opts=opts)
"""


def example_config(stack: str) -> dict[str, Any]:
    """The committed `mlops-estate:estate` object of a stack, as a fresh dict."""
    document = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
    return copy.deepcopy(document["config"][CONFIG_ROOT])


def write_stack(project: Path, stack: str, estate: dict[str, Any]) -> None:
    (project / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": {CONFIG_ROOT: estate}}))


_PLANS: dict[str, Plan] = {}


def example_plan(stack: str) -> Plan:
    """The plan of a committed example stack, computed once per test session."""
    if stack not in _PLANS:
        _PLANS[stack] = run_plan(REPO, stack)
    return _PLANS[stack]


def of_type(plan: Plan, suffix: str) -> list:
    """The planned resources whose type ends with `suffix`, e.g. ':Catalog'."""
    return [resource for resource in plan.resources if resource.type.endswith(suffix)]


def add_to_program(project: Path, code: str) -> None:
    """Append hand-written resources to the copied project's stack program."""
    main = project / "stacks" / "__main__.py"
    main.write_text(main.read_text() + HAND_WRITTEN_PRELUDE + code)


def with_extra_program(project: Path, stack: str, code: str) -> Plan:
    """Plan the estate of a copied project whose stack program adds hand-written resources."""
    add_to_program(project, code)
    return run_plan(project, stack)


def violations_of(plan: Plan) -> set[tuple[str, str]]:
    """(rule, URN) of every violation in the plan."""
    return {(violation.policy, violation.urn) for violation in plan.violations}
