"""An audit's outcome, its exit code and its renderings (terminal, Markdown, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..exit_codes import ExitCode
from .compare import Drift, RuleVerdict
from .declared import DeclaredEstate


@dataclass(frozen=True)
class AuditResult:
    stack: str
    host: str
    reads: int
    unreadable: list[str]
    drift: list[Drift]
    verdicts: list[RuleVerdict]

    @property
    def exit_code(self) -> ExitCode:
        if self.unreadable:
            return ExitCode.INVALID
        failed = any(v.verdict == "fail" and v.enforcement == "mandatory" for v in self.verdicts)
        return ExitCode.VIOLATION if self.drift or failed else ExitCode.CLEAN

    @property
    def status(self) -> str:
        return {
            ExitCode.CLEAN: "matches the declared estate",
            ExitCode.VIOLATION: "drift or rule violations found",
            ExitCode.INVALID: "INCOMPLETE: some facts could not be read",
        }[self.exit_code]


def audit_result(
    stack: str,
    declared: DeclaredEstate,
    reads: int,
    unreadable: list[str],
    drift: list[Drift],
    verdicts: list[RuleVerdict],
) -> AuditResult:
    return AuditResult(
        stack=stack,
        host=declared.host,
        reads=reads,
        unreadable=sorted(unreadable),
        drift=sorted(drift),
        verdicts=verdicts,
    )


def audit_json(result: AuditResult) -> str:
    document = {**asdict(result), "exit_code": result.exit_code, "status": result.status}
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def audit_markdown(result: AuditResult) -> str:
    lines = [
        f"# Estate audit: {result.stack}",
        "",
        f"{result.host}: {result.status} ({result.reads} reads).",
        "",
    ]
    if result.unreadable:
        lines += ["## Could not be checked", "", *(f"- {u}" for u in result.unreadable), ""]
    lines += ["## Drift", ""]
    if result.drift:
        lines += [
            "| drift | what | detail |",
            "| --- | --- | --- |",
            *(f"| {d.kind} | {d.what} | {d.detail} |" for d in result.drift),
        ]
    else:
        lines.append("None." if not result.unreadable else "None in what could be read.")
    lines += [
        "",
        "## Isolation rules",
        "",
        "| rule | level | verdict | violations |",
        "| --- | --- | --- | --- |",
    ]
    for verdict in result.verdicts:
        found = "; ".join(f"{v.urn.rsplit('::', 1)[1]}: {v.message}" for v in verdict.violations)
        lines.append(f"| {verdict.rule} | {verdict.enforcement} | {verdict.verdict} | {found} |")
    return "\n".join(lines) + "\n"
