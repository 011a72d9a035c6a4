"""The policy pack as `pulumi preview --policy-pack policy` runs it, and `estate plan`'s verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from support.plans import HAND_WRITTEN_BREACHES, REPO, with_extra_program
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.rules import RULES


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    """The pack's own process, serving the analyzer protocol the Pulumi engine speaks."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "policy" / "__main__.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        process.kill()
        process.wait(timeout=10)


def _properties(props: dict) -> struct_pb2.Struct:
    return json_format.ParseDict(props, struct_pb2.Struct())


def test_pack_declares_every_rule_at_its_level(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "mlops-estate-isolation"
    levels = {0: "advisory", 1: "mandatory"}
    assert [(p.name, levels[p.enforcementLevel]) for p in info.policies] == [
        (rule.name, rule.enforcement) for rule in RULES
    ]


def test_pack_reports_an_open_catalog(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    response = analyzer.Analyze(
        analyzer_pb2.AnalyzeRequest(
            type="databricks:index/catalog:Catalog",
            name="open",
            urn="urn:pulumi:uat::p::databricks:index/catalog:Catalog::open",
            properties=_properties(
                {"name": "open", "isolationMode": "OPEN", "owner": "ml-platform-admins"}
            ),
        )
    )
    assert [(d.policyName, d.enforcementLevel) for d in response.diagnostics] == [
        ("catalog-isolated", 1)
    ]


def test_pack_checks_a_stack_with_bindings(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    def resource(typ: str, name: str, props: dict) -> analyzer_pb2.AnalyzerResource:
        return analyzer_pb2.AnalyzerResource(
            type=typ,
            name=name,
            urn=f"urn:pulumi:prod::p::{typ}::{name}",
            properties=_properties(props),
        )

    response = analyzer.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(
            resources=[
                resource(
                    "azure-native:databricks:Workspace",
                    "ws",
                    {
                        "workspaceId": "1001",
                        "tags": {"environment": "prod"},
                        "sku": {"name": "premium"},
                    },
                ),
                resource(
                    "databricks:index/workspaceBinding:WorkspaceBinding",
                    "uat-into-prod",
                    {
                        "securableName": "mlops_uat",
                        "workspaceId": "1001",
                        "bindingType": "BINDING_TYPE_READ_WRITE",
                    },
                ),
            ]
        )
    )
    found = {(d.policyName, d.urn.rsplit("::", 1)[1]) for d in response.diagnostics}
    assert ("cross-environment-read-only", "uat-into-prod") in found
    assert ("prod-protected", "ws") in found


def test_plan_reports_hand_written_breaches_and_exits_1(project: Path) -> None:
    with_extra_program(project, "prod", HAND_WRITTEN_BREACHES)
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--stack",
            "prod",
            "--cwd",
            str(project),
            "--json",
            str(project / "plan.json"),
            "--no-tree",
        ],
    )
    assert result.exit_code == 1, result.output
    violations = json.loads((project / "plan.json").read_text())["violations"]
    found = {(v["policy"], v["urn"].rsplit("::", 1)[1]) for v in violations}
    assert {
        ("catalog-isolated", "open"),
        ("governed-read-execute-only", "hand-grants"),
        ("deployment-folder-locked", "hand-acl"),
        ("no-long-lived-secrets", "pat"),
    } <= found
    assert all(v["enforcement"] == "mandatory" and v["message"] for v in violations)
    assert "catalog-isolated" in result.output


def test_advisory_violations_keep_exit_0(project: Path, plan_with) -> None:
    plan = plan_with("uat", lambda e: e.update(network={"public_network_access": "Enabled"}))
    assert [(v.policy, v.enforcement) for v in plan.violations] == [
        ("public-network-access-disabled", "advisory")
    ]
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project), "--no-tree"])
    assert result.exit_code == 0
    assert "advisory public-network-access-disabled" in result.output
