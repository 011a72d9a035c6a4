"""Run an audit: plan each workspace's reads, read concurrently, compare."""

from __future__ import annotations

from collections.abc import Callable

from databricks.sdk import WorkspaceClient

from .catalog_drift import grant_drift, known_absent, schema_drift, securable_drift
from .declared import DeclaredEstate
from .findings import Findings
from .identities import identity_reads
from .identity_drift import identity_drift
from .live import LiveState, Read, read_all
from .result import EstateAudit, StackAudit
from .stacks import peers_of, promotion_notes
from .unity_catalog import catalog_reads
from .verdicts import rule_verdicts
from .workspace import workspace_reads
from .workspace_drift import workspace_drift


def reads(client: WorkspaceClient, declared: DeclaredEstate) -> list[Read]:
    """Every read the audit starts with; listings add a read per item they find. Their number
    grows linearly with the securables, folders and service principals."""
    return [
        *catalog_reads(client, declared),
        *workspace_reads(client, declared),
        *identity_reads(client, declared),
    ]


def _unreadable(declared: DeclaredEstate, live: LiveState) -> list[str]:
    """What could not be read, but the grants of a securable a listing shows does not exist:
    its absence is drift, not a gap."""
    return [
        reason
        for key, reason in live.unreadable.items()
        if not (key[0] == "grants" and known_absent(declared, live, key[1], key[2]))
    ]


def audit_stack(
    declared: DeclaredEstate,
    peers: tuple[DeclaredEstate, ...],
    client: WorkspaceClient,
    workers: int,
    on_planned: Callable[[int], None] | None = None,
    on_done: Callable[[Read], None] | None = None,
) -> StackAudit:
    live = read_all(reads(client, declared), workers, on_planned, on_done)
    findings = Findings()
    for found in (
        securable_drift(declared, peers, live),
        schema_drift(declared, live),
        grant_drift(declared, live),
        workspace_drift(declared, live),
        identity_drift(declared, live),
    ):
        findings.extend(found)
    return StackAudit.of(
        declared.environment,
        declared.host,
        live.reads,
        _unreadable(declared, live),
        findings,
        rule_verdicts(declared, live),
    )


def audit_estate(
    stacks: list[tuple[DeclaredEstate, WorkspaceClient]],
    workers: int,
    on_planned: Callable[[int], None] | None = None,
    on_done: Callable[[Read], None] | None = None,
) -> EstateAudit:
    """Audit each stack's workspace with its own client; each knows the others' declarations."""
    declared = [d for d, _ in stacks]
    return EstateAudit(
        [
            audit_stack(d, peers_of(d, declared), client, workers, on_planned, on_done)
            for d, client in stacks
        ],
        promotion_notes(declared),
    )
