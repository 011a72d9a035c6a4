"""`estate plan`: the stack program, offline, judged by rules it cannot reach.

The program runs in a child process under Pulumi's mock monitor (`isolation`); this process
reads the project and its stack config, validates the config (the rules trust nothing else),
and evaluates the rules on what the child reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import ConfigError
from ...rules import Trust, Violation, evaluate
from .isolation import ProgramFailure, run_in_child
from .project import load_project, load_stack_config
from .record import Lookup, PlannedResource


@dataclass(frozen=True)
class Plan:
    project: str
    stack: str
    config: Any
    """The stack's `mlops-estate:estate` config, which the rules trust."""
    resources: list[PlannedResource]
    outputs: dict[str, Any]
    lookups: list[Lookup] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    allowed_types: dict[str, str] = field(default_factory=dict)
    """Resource types no rule reviews that the config allows, each with its reason."""


class PlanFailure(Exception):
    """The program failed: bad config or a program error. Exit code 2."""

    def __init__(
        self, message: str, registered: list[PlannedResource], detail: str, program_error: bool
    ) -> None:
        super().__init__(message)
        self.registered = registered
        self.detail = detail
        self.program_error = program_error


def run_plan(root: Path, stack: str) -> Plan:
    """Plan the stack `stack` of the Pulumi project in `root`."""
    project = load_project(root.resolve())
    config = load_stack_config(project, stack)
    # The judge trusts the stack's name and its validated config, never the program.
    try:
        trust = Trust.from_raw_config(stack, config.estate)
    except ConfigError as error:
        raise PlanFailure(str(error), [], "", program_error=False) from error
    try:
        report = run_in_child(
            {
                "program": str(project.program),
                "project": project.name,
                "stack": stack,
                "config": config.values,
                "secret_keys": config.secret_keys,
            }
        )
    except ProgramFailure as failure:
        raise PlanFailure(str(failure), [], "", program_error=True) from failure
    if report.error:
        raise PlanFailure(
            str(report.error.get("message")),
            report.resources,
            str(report.error.get("detail", "")),
            program_error=bool(report.error.get("program_error", True)),
        )
    # Offline every value is known: a rule that meets an unknown one fails.
    violations, _ = evaluate(
        [r.as_resource() for r in report.resources], trust, report.lookups, unknown_fails=True
    )
    return Plan(
        project=project.name,
        stack=stack,
        config=config.estate,
        resources=report.resources,
        outputs=report.outputs or {},
        lookups=report.lookups,
        violations=violations,
        allowed_types=trust.allowed_types,
    )
