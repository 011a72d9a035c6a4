"""The program side of `estate plan`: a child process runs the stack program under the mocks.

Nothing here judges. The child reports, as JSON, what the program registered and looked up;
the parent process, which the program cannot touch, evaluates the rules on that report.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from .mocks import PlanMonitor


@contextmanager
def _program_environment(program: Path) -> Iterator[None]:
    """Run with the program's folder as working directory and first on sys.path, as Pulumi does."""
    folder = str(program.parent)
    sys.path.insert(0, folder)
    os.chdir(folder)
    yield


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


def run_program(request: dict[str, Any]) -> dict[str, Any]:
    """Run the program of `request` under the mock monitor; report what it registered.

    The request names the program, project, stack and config (as the CLI would hand them
    over); the report has `resources`, `lookups`, `outputs`, and `error` if the program failed.
    """
    monitor = PlanMonitor(request["project"], request["stack"])
    mocks.set_mocks(
        monitor.mocks,
        project=request["project"],
        stack=request["stack"],
        preview=False,
        monitor=monitor,
    )
    set_all_config(request["config"], request["secret_keys"])
    root = settings.get_root_resource()
    program = Path(request["program"])

    def run() -> None:
        with _program_environment(program):
            runpy.run_path(str(program), run_name="__main__")

    error = outputs = None
    try:
        _sync_await(run_pulumi_func(run))
        outputs = _sync_await(_resolved(root.outputs))
    except Exception as failure:  # every program failure is reported, never raised
        # A RunError (such as ConfigError) is the program's own message for the user.
        user_error = isinstance(failure, pulumi.RunError)
        error = {
            "message": str(failure)
            if user_error
            else f"program error in {program}: {type(failure).__name__}: {failure}",
            "detail": traceback.format_exc(),
            "program_error": not user_error,
        }
    return {
        "resources": [asdict(r) for r in sorted(monitor.planned.values(), key=lambda r: r.urn)],
        # Lookups run concurrently; their order says nothing, so it is made stable.
        "lookups": sorted(
            (asdict(lookup) for lookup in monitor.estate_mocks.lookups),
            key=lambda lookup: json.dumps(lookup, sort_keys=True, default=str),
        ),
        "outputs": outputs,
        "error": error,
    }


def write_report(request: dict[str, Any], report_path: str) -> None:
    """Plan, then write the report where the parent will read it."""
    report = run_program(request)
    Path(report_path).write_text(json.dumps(report, default=str), encoding="utf-8")
