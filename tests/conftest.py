"""Fixtures: a copy of the project that a test can change, and plans of changed configs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.plans import REPO, example_config, write_stack

from mlops_estate.commands.plan.runner import Plan, run_plan


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project: Pulumi.yaml, the stack program and both stack files."""
    for name in ("Pulumi.yaml", "Pulumi.uat.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(
        REPO / "stacks", tmp_path / "stacks", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


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
