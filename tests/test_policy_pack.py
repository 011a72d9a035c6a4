"""The policy pack as `pulumi preview --policy-pack policy` runs it, and `estate plan`'s verdict.

The pack's own process serves the analyzer protocol that the Pulumi engine speaks; the engine
hands it the stack's config in PULUMI_CONFIG, as the tests do here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from support.plans import (
    HAND_WRITTEN_BREACHES,
    REPO,
    example_config,
    violations_of,
    with_extra_program,
)
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.config import CONFIG_ROOT
from mlops_estate.rules import RULES

Analyzer = Callable[..., analyzer_pb2_grpc.AnalyzerStub]

# Which rules the pack checks per resource, before the resource is created, and which once
# the whole stack is known (at the end of `pulumi preview`, which the deploy job runs before
# `pulumi up`): a stack rule needs another resource of the stack, such as the workspace that a
# binding names.
RESOURCE_RULES = {
    "catalog-isolated",
    "owner-is-not-a-person",
    "owners-are-platform-principals",
    "governed-read-execute-only",
    "manage-only-platform",
    "authoritative-grants-only",
    "no-deprecated-binding-resource",
    "workspace-bindings-well-formed",
    "metastore-securables-platform-only",
    "no-delta-sharing-of-governed-data",
    "deployment-folder-locked",
    "no-deployments-under-shared-or-users",
    "jobs-run-as-service-principal",
    "prod-humans-no-cluster-create",
    "tokens-for-service-principals-only",
    "prod-workspace-registry-read-only",
    "object-permissions-read-run-only",
    "prod-no-human-cluster-policy",
    "workspace-conf-hardened",
    "cluster-policies-unity-catalog-only",
    "no-workspace-admins",
    "account-principals-declared",
    "federated-credentials-restricted",
    "estate-deploys-no-workloads",
    "prod-customer-managed-keys",
    "key-vaults-protected",
    "keys-expire-and-rotate",
    "keys-wrap-only",
    "logs-out-of-reach",
    "system-schemas-declared-once",
    "system-catalog-grants-additive",
    "one-securable-per-grant",
    "workspace-hardened",
    "prod-protected",
    "storage-account-hardened",
    "public-network-access-disabled",
    "storage-account-private",
    "azure-resources-in-own-scope",
    "no-long-lived-secrets",
    "unreviewed-resource-type",
    "privileges-apply-to-securable",
    "service-principals-compute-by-policy",
    "token-permissions-need-tokens",
    "personal-compute-delegated",
    "deploy-waits-are-plain",
    "virtual-network-declared",
    "security-rules-no-inbound-internet",
    "serverless-egress-restricted",
}
STACK_RULES = {
    "workspace-vnet-injected": "the VNet and the workspace's private endpoints",
    "workspace-storage-firewalled": "the access connector and the root storage's endpoints",
    "private-workspace-front-end": "the workspace's endpoints and their DNS zone groups",
    "catalog-storage-private": "the access connector and the storage's endpoints",
    "key-vault-private": "the vault's endpoints and their DNS zone groups",
    "workspace-subnets-delegated": "the stack's NSG and NAT gateway",
    "public-ips-only-for-nat-gateway": "the NAT gateways of the stack",
    "private-endpoints-own-targets": "the own workspace, storage and endpoints' subnet",
    "private-dns-own-zones": "the VNet, the zones and the endpoints of the stack",
    "pe-approvals-own-ncc": "the NCC's private endpoint rules",
    "ncc-own-resources": "the stack's NCC and catalog storage",
    "workspace-bound-to-ncc": "the NCC bindings and the own workspace",
    "network-option-own-workspace": "the network policy and the own workspace",
    "catalog-bound-to-own-workspace": "the workspace its bindings name",
    "evidence-catalog-readers-only": "the workspace its bindings name",
    "one-grants-per-securable": "every Grants of the stack",
    "cross-environment-read-only": "the stack's own workspace and catalogs",
    "development-catalog-uat-only": "the workspace its bindings name",
    "storage-isolated": "the workspace its bindings name",
    "metastore-assignment-own": "the stack's own workspace",
    "service-principals-declared": "the deployer identity's client id",
    "workspace-access-declared": "the deployer's service principal",
    "group-membership-declared": "the deployer's service principal",
    "no-service-principal-impersonation": "the deployer identity's client id",
    "role-assignments-declared-principals": "the deployer identity and the access connector",
    "providers-target-own-estate": "the providers and the own workspace",
    "one-databricks-workspace": "every workspace of the stack",
    "entitlements-only-for-assigned-principals": "the workspace assignments and the users group",
    "workspace-assignment-after-metastore": "the dependency graph",
    "workspace-principals-visible": "the dependency graph",
    "external-location-after-storage-access": "the dependency graph",
    "federated-credentials-one-at-a-time": "the dependency graph",
    "federation-policies-restricted": "the deployer's service principal",
    "storage-of-own-environment": "the access connector of the stack",
    "one-workspace-conf": "every WorkspaceConf of the stack",
    "workspace-logs-collected": "the diagnostic settings of the stack",
    "auditors-read-evidence": "the grants on the evidence schema",
    "system-tables-only-through-evidence-views": "the stack's own workspace id",
    "workspace-provider-after-private-link": "the dependency graph",
}


@pytest.fixture(scope="module")
def analyzer() -> Iterator[Analyzer]:
    """Start the pack's own process for a stack, with that stack's config (or none)."""
    processes: list[subprocess.Popen] = []
    channels: list[grpc.Channel] = []

    def start(stack: str, config: object = "example") -> analyzer_pb2_grpc.AnalyzerStub:
        env = {
            **os.environ,
            "PULUMI_STACK": stack,
            "PULUMI_PROJECT": "mlops-estate",
            "PULUMI_DRY_RUN": "true",
        }
        if config is not None:
            estate = example_config(stack.split("-")[0]) if config == "example" else config
            env["PULUMI_CONFIG"] = json.dumps({CONFIG_ROOT: json.dumps(estate)})
        process = subprocess.Popen(
            [sys.executable, str(REPO / "policy" / "__main__.py")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        processes.append(process)
        channel = grpc.insecure_channel(f"127.0.0.1:{int(process.stdout.readline())}")
        channels.append(channel)
        return analyzer_pb2_grpc.AnalyzerStub(channel)

    yield start
    for channel in channels:
        channel.close()
    for process in processes:
        process.kill()
        process.wait(timeout=10)


def _analyze(
    stub: analyzer_pb2_grpc.AnalyzerStub, stack: str, typ: str, name: str, props: dict
) -> list[tuple[str, int, str]]:
    response = stub.Analyze(
        analyzer_pb2.AnalyzeRequest(
            type=typ,
            name=name,
            urn=f"urn:pulumi:{stack}::mlops-estate::{typ}::{name}",
            properties=json_format.ParseDict(props, struct_pb2.Struct()),
        )
    )
    # The engine's message is the policy's description, a newline, then what the rule reported.
    return [
        (d.policyName, d.enforcementLevel, d.message.split("\n", 1)[1])
        for d in response.diagnostics
    ]


def test_pack_declares_every_rule_at_its_level_and_scope(analyzer: Analyzer) -> None:
    info = analyzer("uat").GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "mlops-estate-isolation"
    levels = {0: "advisory", 1: "mandatory"}
    kinds = {analyzer_pb2.POLICY_TYPE_RESOURCE: "resource", analyzer_pb2.POLICY_TYPE_STACK: "stack"}
    assert [(p.name, levels[p.enforcementLevel], kinds[p.policy_type]) for p in info.policies] == [
        (rule.name, rule.enforcement, rule.scope) for rule in RULES
    ]


def test_which_rules_run_per_resource_and_which_per_stack() -> None:
    assert {rule.name for rule in RULES if rule.scope == "resource"} == RESOURCE_RULES
    assert {rule.name for rule in RULES if rule.scope == "stack"} == set(STACK_RULES)


def test_a_resource_rule_stops_a_resource_before_it_is_created(analyzer: Analyzer) -> None:
    found = _analyze(
        analyzer("prod"),
        "prod",
        "databricks:index/grants:Grants",
        "hand-grants",
        {
            "schema": "mlops_prod.churn_models",
            "grants": [{"principal": "ml-engineers", "privileges": ["MODIFY"]}],
        },
    )
    assert found == [
        (
            "governed-read-execute-only",
            1,
            "'ml-engineers' holds MODIFY on governed schema 'mlops_prod.churn_models': humans may "
            "hold only BROWSE, EXECUTE, READ_VOLUME, SELECT, USE_CATALOG, USE_SCHEMA",
        )
    ]


def test_the_environment_comes_from_the_stack_and_its_config(analyzer: Analyzer) -> None:
    entitlements = {"groupId": "1", "allowClusterCreate": True}
    typ = "databricks:index/entitlements:Entitlements"
    assert [f[0] for f in _analyze(analyzer("prod"), "prod", typ, "e", entitlements)] == [
        "prod-humans-no-cluster-create"
    ]
    assert _analyze(analyzer("uat"), "uat", typ, "e", entitlements) == []


def test_without_a_trusted_config_the_pack_fails_closed(analyzer: Analyzer) -> None:
    stub = analyzer("prod", config=None)
    found = _analyze(
        stub,
        "prod",
        "databricks:index/catalog:Catalog",
        "c",
        {"name": "mlops_prod", "isolationMode": "ISOLATED", "owner": "g"},
    )
    assert {(name, level) for name, level, _ in found} == {
        ("catalog-isolated", 1),
        ("owner-is-not-a-person", 1),
        ("owners-are-platform-principals", 1),
        ("prod-protected", 1),
        ("unreviewed-resource-type", 1),
    }
    assert all(
        "the stack config cannot be trusted" in message
        and "mlops-estate:estate: required key is missing" in message
        for _, _, message in found
    )


def test_a_config_whose_environment_differs_from_the_stack_fails_closed(analyzer: Analyzer) -> None:
    stub = analyzer("prod", config=example_config("uat"))
    found = _analyze(
        stub,
        "prod",
        "databricks:index/catalog:Catalog",
        "c",
        {"name": "mlops_prod", "isolationMode": "ISOLATED", "owner": "g"},
    )
    assert found and all(
        "'uat' does not match the stack 'prod'" in message for _, _, message in found
    )


def test_pack_checks_a_stack_with_bindings(analyzer: Analyzer) -> None:
    def resource(typ: str, name: str, props: dict) -> analyzer_pb2.AnalyzerResource:
        return analyzer_pb2.AnalyzerResource(
            type=typ,
            name=name,
            urn=f"urn:pulumi:prod::mlops-estate::{typ}::{name}",
            properties=json_format.ParseDict(props, struct_pb2.Struct()),
        )

    binding = "databricks:index/workspaceBinding:WorkspaceBinding"
    response = analyzer("prod").AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(
            resources=[
                resource(
                    "azure-native:databricks:Workspace",
                    "ws",
                    {
                        "workspaceName": "dbw-mlops-prod",
                        "workspaceId": "1001",
                        "sku": {"name": "premium"},
                    },
                ),
                resource(
                    binding,
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
    assert [
        (d.policyName, d.urn)
        for d in response.diagnostics
        if d.policyName == "cross-environment-read-only"
    ] == [
        ("cross-environment-read-only", f"urn:pulumi:prod::mlops-estate::{binding}::uat-into-prod")
    ]


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
    document = json.loads((project / "plan.json").read_text())
    found = {(v["policy"], v["urn"].rsplit("::", 1)[1]) for v in document["violations"]}
    assert found == {
        ("catalog-isolated", "open"),
        ("catalog-bound-to-own-workspace", "open"),
        ("development-catalog-uat-only", "open"),
        ("prod-protected", "open"),
        ("governed-read-execute-only", "hand-grants"),
        ("one-grants-per-securable", "hand-grants"),
        ("one-grants-per-securable", "prod-governed-churn-models-grants"),
        ("deployment-folder-locked", "hand-acl"),
        ("object-permissions-read-run-only", "hand-acl"),
        ("no-long-lived-secrets", "pat"),
    }
    assert all(v["enforcement"] == "mandatory" for v in document["violations"])
    assert "catalog-isolated" in result.output


def test_advisory_violations_keep_exit_0(project: Path, plan_with) -> None:
    def public(estate: dict) -> None:
        estate["network"]["public_network_access"] = "Enabled"
        del estate["network"]["browser_authentication"]

    plan = plan_with("uat", public)
    (violation,) = plan.violations
    assert (violation.policy, violation.enforcement) == (
        "public-network-access-disabled",
        "advisory",
    )
    assert violations_of(plan) == {("public-network-access-disabled", violation.urn)}
    assert violation.urn.endswith("azure-native:databricks:Workspace::uat-workspace")
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project), "--no-tree"])
    assert result.exit_code == 0
    assert "advisory public-network-access-disabled" in result.output
