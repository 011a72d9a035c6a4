"""Run a Pulumi Python program offline, in process, under Pulumi's mock monitor."""

from __future__ import annotations

import contextvars
import gc
import os
import runpy
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from ...config import ConfigError
from ...rules import Resource, Trust, Violation, evaluate
from .mocks import PlanMonitor, PlannedResource
from .project import PulumiProject, StackConfig, load_project, load_stack_config


@dataclass(frozen=True)
class Plan:
    project: str
    stack: str
    config: Any
    """The stack's `mlops-estate:estate` config, which the rules trust."""
    resources: list[PlannedResource]
    outputs: dict[str, Any]
    violations: list[Violation] = field(default_factory=list)


class PlanFailure(Exception):
    """The program failed: bad config or a program error. Exit code 2."""

    def __init__(
        self, message: str, registered: list[PlannedResource], detail: str, program_error: bool
    ) -> None:
        super().__init__(message)
        self.registered = registered
        self.detail = detail
        self.program_error = program_error


@contextmanager
def _program_environment(program: Path) -> Iterator[None]:
    """Run with the program's folder as working directory and first on sys.path, as Pulumi does."""
    folder = str(program.parent)
    previous_cwd = os.getcwd()
    sys.path.insert(0, folder)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        sys.path.remove(folder)


async def _resolved(value: Any) -> Any:
    """Stack outputs as plain values, awaiting only the Outputs within them.

    `Output.from_input` on the whole dict would lift every nested value into an Output.
    """
    if isinstance(value, pulumi.Output):
        return await _resolved(await value.future())
    if isinstance(value, dict):
        return {key: await _resolved(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [await _resolved(item) for item in value]
    return value


def _run(project: PulumiProject, stack: str, config: StackConfig, trust: Trust) -> Plan:
    monitor = PlanMonitor()
    mocks.set_mocks(
        monitor.mocks, project=project.name, stack=stack, preview=False, monitor=monitor
    )
    set_all_config(config.values, config.secret_keys)
    root = settings.get_root_resource()

    def program() -> None:
        with _program_environment(project.program):
            runpy.run_path(str(project.program), run_name="__main__")

    def registered() -> list[PlannedResource]:
        return sorted(monitor.planned.values(), key=lambda r: r.urn)

    try:
        _sync_await(run_pulumi_func(program))
        outputs = _sync_await(_resolved(root.outputs))
    except Exception as error:  # every program failure is exit code 2
        # A RunError (such as ConfigError) is the program's own message for the user.
        user_error = isinstance(error, pulumi.RunError)
        message = (
            str(error)
            if user_error
            else f"program error in {project.program}: {type(error).__name__}: {error}"
        )
        raise PlanFailure(
            message, registered(), traceback.format_exc(), program_error=not user_error
        ) from error
    resources = registered()
    # The policies see what `pulumi preview` shows them: inputs and the outputs computed so far.
    violations, _ = evaluate(
        (
            Resource(
                urn=r.urn,
                type=r.type,
                name=r.name,
                props={**monitor.resources[r.urn].state, **r.inputs},
                protect=r.protect,
                retain_on_delete=r.retain_on_delete,
            )
            for r in resources
        ),
        trust,
    )
    return Plan(
        project=project.name,
        stack=stack,
        config=config.estate,
        resources=resources,
        outputs=outputs,
        violations=violations,
    )


def run_plan(root: Path, stack: str) -> Plan:
    """Plan the stack `stack` of the Pulumi project in `root`.

    Each plan runs in a fresh context, so the Pulumi runtime state of one plan never leaks
    into the next one in the same process.
    """
    project = load_project(root.resolve())
    config = load_stack_config(project, stack)
    # The judge trusts the stack's name and its validated config, never the program.
    try:
        trust = Trust.from_raw_config(stack, config.estate)
    except ConfigError as error:
        raise PlanFailure(str(error), [], "", program_error=False) from error
    # The provider SDKs load hundreds of thousands of long-lived objects; keeping them out of
    # the collector's generations spares every plan their repeated full scans.
    gc.collect()
    gc.freeze()
    return contextvars.Context().run(_run, project, stack, config, trust)
