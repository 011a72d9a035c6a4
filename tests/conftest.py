"""Shared fixtures: the committed example estate, copied so a test can change it."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_estate.config import CONFIG_ROOT
from mlops_estate.plan.runner import Plan, run_plan

REPO = Path(__file__).resolve().parent.parent


def example_config(stack: str) -> dict[str, Any]:
    """The committed `mlops-estate:estate` object of a stack, as a fresh dict."""
    document = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())
    return copy.deepcopy(document["config"][CONFIG_ROOT])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project: Pulumi.yaml, the stack program and both stack files."""
    for name in ("Pulumi.yaml", "Pulumi.uat.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "stacks", tmp_path / "stacks",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def write_stack(project: Path, stack: str, estate: dict[str, Any]) -> None:
    (project / f"Pulumi.{stack}.yaml").write_text(
        yaml.safe_dump({"config": {CONFIG_ROOT: estate}}))


@pytest.fixture
def plan_with(project: Path) -> Callable[..., Plan]:
    """Plan a stack of the copied project after `change` edits its estate config."""

    def plan(stack: str, change: Callable[[dict[str, Any]], None] | None = None) -> Plan:
        estate = example_config(stack)
        if change:
            change(estate)
        write_stack(project, stack, estate)
        return run_plan(project, stack)

    return plan


_PLANS: dict[str, Plan] = {}


def example_plan(stack: str) -> Plan:
    """The plan of a committed example stack, computed once per test session."""
    if stack not in _PLANS:
        _PLANS[stack] = run_plan(REPO, stack)
    return _PLANS[stack]


def of_type(plan: Plan, suffix: str) -> list:
    """The planned resources whose type ends with `suffix`, e.g. ':Catalog'."""
    return [resource for resource in plan.resources if resource.type.endswith(suffix)]
