"""An audit's outcome, its exit code and its renderings (Markdown, JSON).

Names read from a workspace (groups, users, display names) are rendered as inert text: whoever
can name a group could otherwise write into the report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..exit_codes import ExitCode
from ..markdown import text
from .findings import Drift, Findings, Note
from .verdicts import RuleVerdict

_STATUS = {
    ExitCode.CLEAN: "matches the declared estate",
    ExitCode.VIOLATION: "drift or rule violations found",
    ExitCode.INVALID: "INCOMPLETE: some facts could not be checked",
}


@dataclass(frozen=True)
class StackAudit:
    stack: str
    host: str
    reads: int
    unreadable: list[str]
    drift: list[Drift]
    implicit: list[Note]
    exposure: list[Note]
    cross_stack: list[Note]
    verdicts: list[RuleVerdict]

    @classmethod
    def of(
        cls,
        stack: str,
        host: str,
        reads: int,
        unreadable: list[str],
        findings: Findings,
        verdicts: list[RuleVerdict],
    ) -> StackAudit:
        return cls(
            stack,
            host,
            reads,
            sorted(unreadable),
            sorted(set(findings.drift)),
            sorted(set(findings.implicit)),
            sorted(set(findings.exposure)),
            sorted(set(findings.cross_stack)),
            verdicts,
        )

    @property
    def exit_code(self) -> ExitCode:
        if self.unreadable:
            return ExitCode.INVALID
        failed = any(v.verdict == "fail" and v.enforcement == "mandatory" for v in self.verdicts)
        return ExitCode.VIOLATION if self.drift or failed else ExitCode.CLEAN


@dataclass(frozen=True)
class EstateAudit:
    stacks: list[StackAudit]
    promotion: list[Note]
    """The promotion path between the stacks, as the declared stacks describe it."""

    @property
    def exit_code(self) -> ExitCode:
        return max((s.exit_code for s in self.stacks), default=ExitCode.INVALID)

    @property
    def status(self) -> str:
        return _STATUS[self.exit_code]


def audit_json(result: EstateAudit) -> str:
    document = {
        "exit_code": int(result.exit_code),
        "status": result.status,
        "promotion": [asdict(n) for n in result.promotion],
        "stacks": [
            {**asdict(s), "exit_code": int(s.exit_code), "status": _STATUS[s.exit_code]}
            for s in result.stacks
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def _notes(title: str, notes: list[Note]) -> list[str]:
    if not notes:
        return []
    return [
        f"### {title}",
        "",
        "| what | detail |",
        "| --- | --- |",
        *(f"| {text(n.what)} | {text(n.detail)} |" for n in notes),
        "",
    ]


def _stack_markdown(audit: StackAudit) -> list[str]:
    lines = [
        f"## {text(audit.stack)}: {text(audit.host)}",
        "",
        f"{_STATUS[audit.exit_code]} ({audit.reads} reads).",
        "",
    ]
    if audit.unreadable:
        lines += ["### Could not be checked", "", *(f"- {text(u)}" for u in audit.unreadable), ""]
    lines += ["### Drift", ""]
    if audit.drift:
        lines += [
            "| drift | what | detail |",
            "| --- | --- | --- |",
            *(f"| {d.kind} | {text(d.what)} | {text(d.detail)} |" for d in audit.drift),
        ]
    else:
        lines.append("None." if not audit.unreadable else "None in what could be read.")
    lines += [
        "",
        *_notes("Between the stacks", audit.cross_stack),
        *_notes("What could widen access", audit.exposure),
        *_notes("Implicit: the platform's own, out of the verdict", audit.implicit),
        "### Isolation rules",
        "",
        "| rule | level | verdict | violations |",
        "| --- | --- | --- | --- |",
    ]
    for verdict in audit.verdicts:
        found = "; ".join(f"{v.urn.rsplit('::', 1)[1]}: {v.message}" for v in verdict.violations)
        lines.append(
            f"| {verdict.rule} | {verdict.enforcement} | {verdict.verdict} | {text(found, 2000)} |"
        )
    return [*lines, ""]


def audit_markdown(result: EstateAudit) -> str:
    lines = [
        f"# Estate audit: {', '.join(text(s.stack) for s in result.stacks)}",
        "",
        f"{result.status}.",
        "",
    ]
    if result.promotion:
        lines += [
            "## The promotion path",
            "",
            *(f"- {text(n.detail, 600)}" for n in result.promotion),
            "",
        ]
    for audit in result.stacks:
        lines += _stack_markdown(audit)
    return "\n".join(lines)
