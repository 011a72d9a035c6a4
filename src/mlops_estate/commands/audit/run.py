"""Run an audit: plan the reads, read concurrently, compare."""

from __future__ import annotations

from collections.abc import Callable

from databricks.sdk import WorkspaceClient

from .compare import drift, live_rule_verdicts
from .declared import DeclaredEstate
from .live import Read, read_all, reads
from .result import AuditResult, audit_result


def run_audit(
    stack: str,
    declared: DeclaredEstate,
    client: WorkspaceClient,
    workers: int,
    on_planned: Callable[[int], None] | None = None,
    on_done: Callable[[Read], None] | None = None,
) -> AuditResult:
    planned = reads(client, declared)
    if on_planned:
        on_planned(len(planned))
    live = read_all(planned, workers, on_done)
    return audit_result(
        stack,
        declared,
        len(planned),
        list(live.unreadable.values()),
        drift(declared, live),
        live_rule_verdicts(declared, live),
    )
