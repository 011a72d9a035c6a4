"""The `estate` command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from .plan.project import PlanInputError
from .plan.render import mandatory_violations, plan_json, plan_markdown, print_summary
from .plan.runner import PlanFailure, run_plan

EXIT_CLEAN, EXIT_VIOLATION, EXIT_INVALID = 0, 1, 2

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Plan, check and report a secure MLOps estate on Azure Databricks.")
console = Console()
errors = Console(stderr=True)


def _stack_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._-]+", value):
        raise typer.BadParameter("a stack name of letters, digits, '.', '_' and '-'")
    return value


def _print_error(message: str) -> None:
    errors.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


@app.callback()
def main() -> None:
    """Plan, check and report a secure MLOps estate on Azure Databricks."""


@app.command()
def plan(
    stack: Annotated[str, typer.Option(help="Stack to plan; its config is Pulumi.STACK.yaml.",
                                       callback=_stack_name)] = "uat",
    cwd: Annotated[Path, typer.Option(help="Folder of the Pulumi project (Pulumi.yaml).",
                                      file_okay=False)] = Path("."),
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the plan as JSON.",
                                                   dir_okay=False)] = None,
    markdown_path: Annotated[Path | None, typer.Option("--markdown",
                                                       help="Write the plan as Markdown.",
                                                       dir_okay=False)] = None,
    tree: Annotated[bool, typer.Option(help="Print the resource tree.")] = True,
    debug: Annotated[bool, typer.Option(help="Show the traceback of a program error.")] = False,
) -> None:
    """Run the stack program offline under Pulumi's mocks, with no cloud and no Pulumi CLI.

    Exit codes: 0 clean, 1 a mandatory policy violation, 2 invalid config or a program error.
    """
    try:
        result = run_plan(cwd.resolve(), stack)
    except PlanInputError as error:
        _print_error(str(error))
        raise typer.Exit(EXIT_INVALID) from None
    except PlanFailure as failure:
        if debug:
            errors.print(failure.detail, highlight=False, markup=False, soft_wrap=True)
        show_hint = failure.program_error and not debug
        _print_error(f"{failure}\n(run with --debug for the traceback)" if show_hint
                     else str(failure))
        raise typer.Exit(EXIT_INVALID) from None
    if json_path:
        json_path.write_text(plan_json(result), encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(plan_markdown(result), encoding="utf-8")
    print_summary(result, console, show_tree=tree)
    raise typer.Exit(EXIT_VIOLATION if mandatory_violations(result) else EXIT_CLEAN)
