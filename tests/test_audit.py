"""`estate audit` against a local server that speaks the Databricks REST API, via databricks-sdk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.fake_databricks import FakeWorkspace, Fault
from support.plans import example_plan
from typer.testing import CliRunner

from mlops_estate.cli import app

Audit = Callable[..., tuple[int, dict]]


@pytest.fixture
def workspaces(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    monkeypatch.setenv("DATABRICKS_TOKEN", "local-test-token")
    servers: list = []
    yield servers
    for server in servers:
        server.shutdown()


def live(
    stack: str, workspaces: list, tmp_path: Path, outputs: dict | None = None
) -> tuple[FakeWorkspace, Audit]:
    """A live workspace matching the declared stack, and a function that audits it."""
    outputs = outputs or example_plan(stack).outputs
    workspace = FakeWorkspace.matching(outputs)
    server, url = workspace.serve()
    workspaces.append(server)
    declared = tmp_path / f"{stack}-outputs.json"
    declared.write_text(json.dumps(outputs))

    def audit(*, retry_timeout: int = 60, http_timeout: int = 30) -> tuple[int, dict]:
        """Audit with timeouts that a healthy read meets even on a busy 2-core CI machine."""
        report = tmp_path / "audit.json"
        result = CliRunner().invoke(
            app,
            [
                "audit",
                "--stack",
                stack,
                "--declared",
                str(declared),
                "--host",
                url,
                "--json",
                str(report),
                "--retry-timeout",
                str(retry_timeout),
                "--http-timeout",
                str(http_timeout),
            ],
        )
        return result.exit_code, json.loads(report.read_text())

    return workspace, audit


def verdict(document: dict, rule: str) -> str:
    return next(v["verdict"] for v in document["verdicts"] if v["rule"] == rule)


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_clean_estate_passes(stack: str, workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live(stack, workspaces, tmp_path)
    code, document = audit()
    assert code == 0, document
    assert document["drift"] == [] and document["unreadable"] == []
    assert verdict(document, "catalog-isolated") == "pass"
    assert verdict(document, "workspace-hardened") == "not checked"
    assert workspace.calls >= document["reads"]


def test_uat_bindings_of_the_promotion_source_are_not_prods_business(
    workspaces: list, tmp_path: Path
) -> None:
    workspace, audit = live("prod", workspaces, tmp_path)
    workspace.bindings[("catalog", "mlops_uat")].append(
        {"workspace_id": 5745814255335704, "binding_type": "BINDING_TYPE_READ_WRITE"}
    )
    code, document = audit()
    assert code == 0, document["drift"]


def test_a_hand_made_grant_is_drift_and_a_violation(workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live("prod", workspaces, tmp_path)
    workspace.grants[("schema", "mlops_prod.churn_models")]["ml-engineers"] += ["MODIFY"]
    code, document = audit()
    assert code == 1
    assert {
        "kind": "live, not declared",
        "what": "grants on schema mlops_prod.churn_models",
        "detail": "ml-engineers: MODIFY",
    } in document["drift"]
    assert verdict(document, "governed-read-execute-only") == "fail"


def test_a_removed_binding_is_drift_and_a_violation(workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live("uat", workspaces, tmp_path)
    workspace.bindings[("catalog", "mlops_uat")] = []
    code, document = audit()
    assert code == 1
    assert [d["kind"] for d in document["drift"]] == ["declared, not live"]
    assert verdict(document, "catalog-bound-to-own-workspace") == "fail"


def test_an_open_catalog_is_drift_and_a_violation(workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live("uat", workspaces, tmp_path)
    workspace.catalogs["mlops_dev"]["isolation_mode"] = "OPEN"
    code, document = audit()
    assert code == 1
    assert document["drift"] == [
        {
            "kind": "differs",
            "what": "catalog mlops_dev",
            "detail": "isolation mode OPEN, declared ISOLATED",
        }
    ]
    assert verdict(document, "catalog-isolated") == "fail"


def test_can_manage_for_a_human_on_the_deployment_folder(workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live("prod", workspaces, tmp_path)
    folder = workspace.directories["/Deployments/mlops"]
    workspace.acls[("directories", str(folder))][("group_name", "ml-engineers")] = "CAN_MANAGE"
    code, document = audit()
    assert code == 1
    assert {
        "kind": "differs",
        "what": "folder /Deployments/mlops",
        "detail": "group ml-engineers: declared CAN_RUN, live CAN_MANAGE",
    } in document["drift"]
    assert verdict(document, "deployment-folder-locked") == "fail"


def test_cluster_creation_for_humans_in_prod(workspaces: list, tmp_path: Path) -> None:
    workspace, audit = live("prod", workspaces, tmp_path)
    workspace.groups["ml-data-scientists"].add("allow-cluster-create")
    code, document = audit()
    assert code == 1
    assert document["drift"][0]["what"] == "entitlements of group ml-data-scientists"
    assert verdict(document, "prod-humans-no-cluster-create") == "fail"


# A short timeout only where the fault needs it: 429 is retried until the retry timeout; the
# slow answer takes 30 s, far beyond the 5 s HTTP timeout, which a healthy read meets easily.
@pytest.mark.parametrize(
    ("fault", "words", "timeouts"),
    [
        (Fault("/unity-catalog/catalogs/", status=403), "PERMISSION_DENIED", {}),
        (Fault("/workspace/get-status", status=404), "NOT_FOUND", {}),
        (Fault("/unity-catalog/permissions/", status=429), "Timed out", {"retry_timeout": 2}),
        (Fault("/unity-catalog/bindings/", status=500), "INTERNAL_ERROR", {}),
        (
            Fault("/workspace-conf", delay=30.0),
            "Timed out",
            {"retry_timeout": 1, "http_timeout": 5},
        ),
    ],
    ids=["403", "404", "429", "500", "slow"],
)
def test_unreadable_facts_fail_closed(
    workspaces: list, tmp_path: Path, fault: Fault, words: str, timeouts: dict[str, int]
) -> None:
    workspace, audit = live("uat", workspaces, tmp_path)
    workspace.faults.append(fault)
    code, document = audit(**timeouts)
    assert code == 2
    assert document["unreadable"] and all(words in u for u in document["unreadable"])
    assert document["status"].startswith("INCOMPLETE")
    assert "pass" not in {v["verdict"] for v in document["verdicts"]}


def test_reads_grow_linearly_with_projects(
    workspaces: list, tmp_path: Path, plan_with: Callable
) -> None:
    counts = []
    for projects in (1, 2, 4):
        plan = plan_with(
            "uat", lambda e, n=projects: e.update(projects=[{"name": f"p{i}"} for i in range(n)])
        )
        _, audit = live("uat", workspaces, tmp_path, plan.outputs)
        code, document = audit()
        assert code == 0
        counts.append(document["reads"])
    # Two schemas per project, each read for direct and effective grants.
    assert counts[1] - counts[0] == 4 and counts[2] - counts[1] == 8


def test_without_credentials_the_audit_stops_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DATABRICKS_TOKEN", "DATABRICKS_HOST", "ARM_CLIENT_ID", "ARM_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "none.cfg"))
    monkeypatch.setenv("PATH", "")
    declared = tmp_path / "outputs.json"
    declared.write_text(json.dumps(example_plan("uat").outputs))
    # A closed local port: nothing leaves this machine.
    result = CliRunner().invoke(
        app,
        [
            "audit",
            "--declared",
            str(declared),
            "--host",
            "http://127.0.0.1:9",
            "--retry-timeout",
            "1",
        ],
    )
    assert result.exit_code == 2
    assert "error:" in result.output


def test_declared_outputs_must_be_the_estates(tmp_path: Path) -> None:
    declared = tmp_path / "outputs.json"
    declared.write_text(json.dumps({"environment": "uat", "workspace": {}}))
    result = CliRunner().invoke(app, ["audit", "--declared", str(declared)])
    assert result.exit_code == 2
    assert "lacks the stack outputs" in result.output
