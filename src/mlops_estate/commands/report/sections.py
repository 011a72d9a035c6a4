"""The report's sections: tables of who can do what, where, and the rules' verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...rules import RULES
from ..documents import EstateDocument


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)


def _principal_names(outputs: dict[str, Any]) -> dict[str, str]:
    return {role: f"{role} ({p['name']})" for role, p in outputs.get("principals", {}).items()}


def rule_verdict_table(document: EstateDocument) -> Table:
    rows = []
    violations = document.violations
    for rule in RULES:
        if violations is None:
            verdict = "not checked"
            where = (
                "stack outputs hold no resources"
                if document.source == "stack outputs"
                else "no stack config to trust: pass --config Pulumi.STACK.yaml"
            )
        else:
            found = [v for v in violations if v.policy == rule.name]
            verdict = f"FAIL ({len(found)})" if found else "pass"
            where = "; ".join(sorted(f"{v.urn.rsplit('::', 1)[1]}: {v.message}" for v in found))
        rows.append([rule.name, rule.enforcement, verdict, where])
    return Table(["rule", "level", "verdict", "violations"], rows)


def allowed_types_tables(document: EstateDocument) -> list[Table]:
    """The resource types no rule reviews that the stack config allows, with its reasons."""
    allowed = document.trust.allowed_types if document.trust else {}
    if not allowed:
        return []
    return [Table(["type allowed without review", "reason"], sorted(map(list, allowed.items())))]


def access_matrix(outputs: dict[str, Any]) -> Table:
    """Securables by principal: the owner, then the privileges granted to each principal."""
    names = _principal_names(outputs)
    rows = outputs.get("access_matrix", [])
    principals = sorted({row["role"] for row in rows})
    owners = {
        (o["securable_type"], o["securable"]): names.get(o["role"], o["role"])
        for o in outputs.get("owners", [])
    }
    cells: dict[tuple[str, str], dict[str, str]] = {key: {} for key in owners}
    for row in rows:
        key = (row["securable_type"], row["securable"])
        cells.setdefault(key, {})[row["role"]] = ", ".join(row["privileges"])
    return Table(
        ["securable", "type", "owner", *(names.get(p, p) for p in principals)],
        [
            [
                securable,
                typ,
                owners.get((typ, securable), ""),
                *(cells[(typ, securable)].get(p, "") for p in principals),
            ]
            for typ, securable in sorted(cells, key=lambda k: (k[1], k[0]))
        ],
    )


def folder_access(outputs: dict[str, Any]) -> Table:
    names = _principal_names(outputs)
    rows = [
        [
            path,
            folder["purpose"],
            names.get(entry["role"], entry["role"]),
            entry["permission_level"],
        ]
        for path, folder in sorted(outputs.get("folders", {}).items())
        for entry in folder["access"]
    ]
    return Table(["folder", "purpose", "principal", "permission"], rows)


def identities(outputs: dict[str, Any]) -> list[Table]:
    deployer = outputs.get("deployer", {})
    deployer_table = Table(
        ["deployer", "value"],
        [
            ["application id", str(deployer.get("application_id", ""))],
            ["managed identity client id", str(deployer.get("managed_identity_client_id", ""))],
            *[["federated subject", subject] for subject in deployer.get("federated_subjects", [])],
        ],
    )
    personas = Table(
        ["persona", "group", "workspace permission", "entitlements"],
        [
            [
                p["role"],
                p["group"],
                ", ".join(p["permissions"]),
                ", ".join(sorted(k for k, v in p["entitlements"].items() if v)) or "none",
            ]
            for p in outputs.get("personas", [])
        ],
    )
    return [deployer_table, personas]


def workspace_settings(outputs: dict[str, Any]) -> Table:
    settings = outputs.get("workspace_settings", {})
    names = _principal_names(outputs)

    def holders(entries: list[dict[str, str]]) -> str:
        return (
            ", ".join(
                f"{names.get(e['role'], e['role'])}: {e['permission_level']}" for e in entries
            )
            or "not managed"
        )

    rows = [[key, value] for key, value in sorted(settings.get("workspace_conf", {}).items())]
    rows += [
        ["token usage", holders(settings.get("token_usage", []))],
        ["workspace model registry", holders(settings.get("model_registry", []))],
    ]
    rows += [
        [f"cluster policy {name}", holders(entries)]
        for name, entries in sorted(settings.get("cluster_policies", {}).items())
    ]
    return Table(["setting", "value"], rows)


def _retention(days: object) -> str:
    return f"{days} days" if isinstance(days, int) else str(days)


def evidence_tables(outputs: dict[str, Any]) -> list[Table]:
    evidence = outputs.get("evidence", {})
    logs = [
        ["Log Analytics workspace", str(evidence.get("log_analytics_workspace_id", ""))],
        ["retention", _retention(evidence.get("log_retention_days"))],
        ["from", ", ".join(evidence.get("logs_from", []))],
        ["verbose audit logs", "on" if evidence.get("verbose_audit_logs") else "off"],
    ]
    readers = ", ".join(evidence.get("view_readers", []))
    views = [[view, what, readers] for view, what in sorted(evidence.get("views", {}).items())]
    queries = [[question, sql] for question, sql in evidence.get("queries", {}).items()]
    keys = [[what, str(key)] for what, key in sorted(evidence.get("encryption", {}).items())]
    return [
        Table(["logs", "where"], logs),
        Table(["view", "holds", "readers"], views),
        Table(["question", "SQL"], queries),
        Table(["encrypted", "key"], keys),
    ]


def sections(document: EstateDocument) -> list[Section]:
    outputs = document.outputs
    workspace = outputs.get("workspace", {})
    catalogs = outputs.get("catalogs", {})
    return [
        Section(
            "Isolation rules",
            f"Source: {document.source}. Every verdict is recomputed from the resources.",
            [rule_verdict_table(document), *allowed_types_tables(document)],
        ),
        Section(
            "Workspace",
            "",
            [
                Table(
                    ["what", "value"],
                    [
                        ["environment", document.environment],
                        ["host", str(workspace.get("host", ""))],
                        ["workspace id", str(workspace.get("id", ""))],
                        *[
                            [f"catalog ({kind})", str(name)]
                            for kind, name in sorted(catalogs.items())
                        ],
                    ],
                )
            ],
        ),
        Section(
            "Access matrix",
            "Unity Catalog privileges, granted authoritatively: any "
            "other grant is revoked on the next update.",
            [access_matrix(outputs)],
        ),
        Section("Folder access lists", "", [folder_access(outputs)]),
        Section(
            "Identities", "The deployer authenticates by federation only.", identities(outputs)
        ),
        Section("Workspace settings", "", [workspace_settings(outputs)]),
        Section(
            "Evidence",
            "Where the logs go, which views auditors can query (filtered to this workspace, in "
            f"the evidence catalog {catalogs.get('evidence', '')}, where only the view readers "
            "hold privileges), and which keys encrypt what.",
            evidence_tables(outputs),
        ),
    ]
