"""The `estate` command line: one thin command per package under `commands/`."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import Progress

from .commands.audit.declared import DeclaredEstate
from .commands.audit.hosts import HOST_ENV, HostError, audit_hosts, workspace_client
from .commands.audit.result import audit_json, audit_markdown
from .commands.audit.run import audit_estate
from .commands.audit.schema import DeclarationError, read_declared
from .commands.audit.stacks import check_stacks
from .commands.bundle import BundleError, bundle_targets
from .commands.check import check_markdown
from .commands.diff import DiffError, diff, diff_json, diff_markdown
from .commands.documents import (
    NO_CONFIG,
    DocumentError,
    EstateDocument,
    from_plan_document,
    load_document,
)
from .commands.exit_codes import ExitCode
from .commands.plan.project import PlanInputError, read_estate_config
from .commands.plan.render import (
    plan_document,
    plan_json,
    plan_markdown,
    print_summary,
)
from .commands.plan.runner import Plan, PlanFailure, run_plan
from .commands.report import render_html, render_markdown
from .rules import mandatory
from .rules.document import rules_markdown

# Option value names as the help shows them; flags show none.
FLAG, NAME, DIR, PATH, URL, COUNT, SECONDS = "", "NAME", "DIR", "PATH", "URL", "N", "SECONDS"
CONFIG_OPTION = typer.Option(
    "--config",
    dir_okay=False,
    metavar=PATH,
    help="The stack file (Pulumi.STACK.yaml) whose config the rules trust; by default a "
    "plan's own.",
)


app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    help="Plan, check and report a secure MLOps estate on Azure Databricks.",
)
console = Console()
errors = Console(stderr=True)


def _stack_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._-]+", value):
        raise typer.BadParameter("a stack name of letters, digits, '.', '_' and '-'")
    return value


def _print_error(message: str) -> None:
    errors.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


def _plan_or_exit(cwd: Path, stack: str, debug: bool) -> Plan:
    """Plan the stack, or print one clear error and exit 2."""
    try:
        return run_plan(cwd, stack)
    except PlanInputError as error:
        _print_error(str(error))
        raise typer.Exit(ExitCode.INVALID) from None
    except PlanFailure as failure:
        if debug:
            errors.print(failure.detail, highlight=False, markup=False, soft_wrap=True)
        show_hint = failure.program_error and not debug
        _print_error(
            f"{failure}\n(run with --debug for the traceback)" if show_hint else str(failure)
        )
        raise typer.Exit(ExitCode.INVALID) from None


def _document_or_exit(
    path: Path, stack: str | None = None, config: Path | None = None
) -> EstateDocument:
    """Read a plan, an export or outputs, with the stack config from `config` if given."""
    try:
        estate = read_estate_config(config) if config else NO_CONFIG
        return load_document(path, stack, estate)
    except (DocumentError, PlanInputError) as error:
        _print_error(str(error))
        raise typer.Exit(ExitCode.INVALID) from None


def _write_or_print(text: str, path: Path | None) -> None:
    if path:
        path.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@app.callback()
def main() -> None:
    """Plan, check and report a secure MLOps estate on Azure Databricks."""
    # The SDK logs its fallbacks as warnings; errors reach the user through the audit itself.
    logging.getLogger("databricks.sdk").setLevel(logging.ERROR)


@app.command()
def plan(
    stack: Annotated[
        str,
        typer.Option(
            help="Stack to plan; its config is Pulumi.NAME.yaml.",
            callback=_stack_name,
            metavar=NAME,
        ),
    ] = "uat",
    cwd: Annotated[
        Path,
        typer.Option(
            help="Folder of the Pulumi project (Pulumi.yaml).", file_okay=False, metavar=DIR
        ),
    ] = Path("."),
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the plan as JSON.", dir_okay=False, metavar=PATH),
    ] = None,
    markdown_path: Annotated[
        Path | None,
        typer.Option(
            "--markdown", help="Write the plan as Markdown.", dir_okay=False, metavar=PATH
        ),
    ] = None,
    tree: Annotated[bool, typer.Option(help="Print the resource tree.", metavar=FLAG)] = True,
    debug: Annotated[
        bool, typer.Option(help="Show the traceback of a program error.", metavar=FLAG)
    ] = False,
) -> None:
    """Run the stack program offline under Pulumi's mocks, with no cloud and no Pulumi CLI.

    Exit codes: 0 clean, 1 a mandatory policy violation, 2 invalid config or a program error.
    """
    result = _plan_or_exit(cwd, stack, debug)
    if json_path:
        json_path.write_text(plan_json(result), encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(plan_markdown(result), encoding="utf-8")
    print_summary(result, console, show_tree=tree)
    raise typer.Exit(ExitCode.VIOLATION if mandatory(result.violations) else ExitCode.CLEAN)


@app.command()
def report(
    source: Annotated[
        Path,
        typer.Argument(
            help="estate plan --json, pulumi stack export, or pulumi stack output --json.",
            dir_okay=False,
        ),
    ],
    markdown_path: Annotated[
        Path | None,
        typer.Option("--markdown", dir_okay=False, help="Write the Markdown report.", metavar=PATH),
    ] = None,
    html_path: Annotated[
        Path | None,
        typer.Option(
            "--html", dir_okay=False, help="Write a self-contained HTML page.", metavar=PATH
        ),
    ] = None,
    stack: Annotated[
        str | None, typer.Option(help="Stack name, for bare stack outputs.", metavar=NAME)
    ] = None,
    config: Annotated[Path | None, CONFIG_OPTION] = None,
) -> None:
    """Report who can do what, where, and the verdict of every isolation rule.

    Without --markdown or --html, prints the Markdown report.
    """
    document = _document_or_exit(source, stack, config)
    if html_path:
        html_path.write_text(render_html(document), encoding="utf-8")
    if markdown_path or not html_path:
        _write_or_print(render_markdown(document), markdown_path)


@app.command()
def check(
    plan_file: Annotated[
        Path,
        typer.Argument(
            help="A plan (estate plan --json) or a stack export (pulumi stack export).",
            dir_okay=False,
        ),
    ],
    config: Annotated[Path | None, CONFIG_OPTION] = None,
    markdown_path: Annotated[
        Path | None,
        typer.Option(
            "--markdown", dir_okay=False, help="Write the verdict as Markdown.", metavar=PATH
        ),
    ] = None,
) -> None:
    """The rules' verdict on a plan, recomputed from its resources; its own verdict is ignored.

    Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the file or the config
    cannot be read or trusted.
    """
    document = _document_or_exit(plan_file, config=config)
    violations = document.violations
    if violations is None:
        _print_error(
            f"{plan_file}: holds no resources to check, or no stack config to trust "
            "them by: pass --config Pulumi.STACK.yaml"
        )
        raise typer.Exit(ExitCode.INVALID)
    markdown = check_markdown(document, violations)
    if markdown_path:
        markdown_path.write_text(markdown, encoding="utf-8")
    console.print(Markdown(markdown))
    raise typer.Exit(ExitCode.VIOLATION if mandatory(violations) else ExitCode.CLEAN)


@app.command("diff")
def diff_command(
    base: Annotated[
        Path,
        typer.Argument(help="The base's plan (estate plan --json).", dir_okay=False),
    ],
    head: Annotated[
        Path,
        typer.Argument(help="The head's plan (estate plan --json).", dir_okay=False),
    ],
    json_path: Annotated[
        Path | None,
        typer.Option("--json", dir_okay=False, help="Write the diff as JSON.", metavar=PATH),
    ] = None,
    markdown_path: Annotated[
        Path | None,
        typer.Option(
            "--markdown", dir_okay=False, help="Write Markdown for a pull request.", metavar=PATH
        ),
    ] = None,
) -> None:
    """What a change does to the estate: access gained and lost, resources changed.

    Without --json or --markdown, prints the Markdown.
    """
    before, after = _document_or_exit(base), _document_or_exit(head)
    try:
        result = diff(before, after)
    except DiffError as error:
        _print_error(str(error))
        raise typer.Exit(ExitCode.INVALID) from None
    if json_path:
        json_path.write_text(diff_json(result, after.stack), encoding="utf-8")
    if markdown_path or not json_path:
        _write_or_print(diff_markdown(result, after.stack), markdown_path)


@app.command("bundle-targets")
def bundle_targets_command(
    stack: Annotated[
        str, typer.Option(help="Stack whose target to print.", callback=_stack_name, metavar=NAME)
    ] = "uat",
    project: Annotated[
        str | None, typer.Option(help="The ML project (projects[].name).", metavar=NAME)
    ] = None,
    outputs: Annotated[
        Path | None,
        typer.Option(
            "--from",
            dir_okay=False,
            metavar=PATH,
            help="pulumi stack output --json (or a plan); without it, the stack is planned "
            "offline.",
        ),
    ] = None,
    cwd: Annotated[
        Path, typer.Option(help="Folder of the Pulumi project.", file_okay=False, metavar=DIR)
    ] = Path("."),
) -> None:
    """Print the databricks.yml `variables:` and `targets:` for an ML project's bundle."""
    if outputs:
        document = _document_or_exit(outputs, stack)
    else:
        document = from_plan_document(plan_document(_plan_or_exit(cwd, stack, debug=False)))
    try:
        typer.echo(bundle_targets(document, project), nl=False)
    except BundleError as error:
        _print_error(str(error))
        raise typer.Exit(ExitCode.INVALID) from None


@app.command()
def rules(
    markdown_path: Annotated[
        Path | None,
        typer.Option("--markdown", dir_okay=False, help="Write the rules document.", metavar=PATH),
    ] = None,
) -> None:
    """Print the isolation rules: each rule's level, what it checks and how to fix it.

    The repository's `docs/isolation-rules.md` is this command's output.
    """
    _write_or_print(rules_markdown(), markdown_path)


@app.command()
def audit(
    declared_paths: Annotated[
        list[Path],
        typer.Option(
            "--declared",
            dir_okay=False,
            metavar=PATH,
            help="A stack's `pulumi stack output --json`; repeat it to audit both stacks "
            "together (--declared uat.json --declared prod.json).",
        ),
    ],
    hosts: Annotated[
        list[str] | None,
        typer.Option(
            "--host",
            metavar=URL,
            help="The workspace of each --declared, in the same order: "
            "https://adb-WORKSPACE_ID.N.azuredatabricks.net; for one stack, "
            "DATABRICKS_HOST may name it. It must be the workspace the file declares.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Concurrent reads.", metavar=COUNT)
    ] = 8,
    retry_timeout: Annotated[
        int,
        typer.Option(
            min=1,
            metavar=SECONDS,
            help="Seconds the SDK keeps retrying a throttled or unavailable read.",
        ),
    ] = 120,
    http_timeout: Annotated[
        int, typer.Option(min=1, help="Seconds to wait for an answer.", metavar=SECONDS)
    ] = 30,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", dir_okay=False, help="Write the audit as JSON.", metavar=PATH),
    ] = None,
    markdown_path: Annotated[
        Path | None,
        typer.Option(
            "--markdown", dir_okay=False, help="Write the audit as Markdown.", metavar=PATH
        ),
    ] = None,
) -> None:
    """Compare the live workspaces with the declared estate and the isolation rules.

    Authenticates with databricks-sdk's unified authentication (environment variables, Azure
    CLI, OIDC), and sends credentials only to the workspaces named by --host (or
    DATABRICKS_HOST) that the declared outputs declare. Exit codes: 0 everything read and
    matching; 1 drift or a mandatory rule violation; 2 something could not be checked (the
    audit fails closed) or bad input.
    """
    try:
        stacks = [DeclaredEstate(read_declared(path)) for path in declared_paths]
        check_stacks(stacks, [str(path) for path in declared_paths])
        checked = audit_hosts(
            [(str(path), d.host) for path, d in zip(declared_paths, stacks, strict=True)],
            hosts or [],
            os.environ.get(HOST_ENV),
        )
        clients = [workspace_client(h, retry_timeout, http_timeout, workers) for h in checked]
    except (DeclarationError, HostError, ValueError) as error:
        _print_error(str(error))
        raise typer.Exit(ExitCode.INVALID) from None
    with Progress(console=errors, transient=True, disable=not errors.is_terminal) as progress:
        task = progress.add_task("reading the workspaces", total=None)
        result = audit_estate(
            list(zip(stacks, clients, strict=True)),
            workers,
            on_planned=lambda total: progress.update(task, total=total),
            on_done=lambda _: progress.advance(task),
        )
    if json_path:
        json_path.write_text(audit_json(result), encoding="utf-8")
    text = audit_markdown(result)
    if markdown_path:
        markdown_path.write_text(text, encoding="utf-8")
    console.print(Markdown(text))
    raise typer.Exit(result.exit_code)
