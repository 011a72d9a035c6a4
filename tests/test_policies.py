"""Every isolation rule, with stacks that break it and stacks that keep it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import example_plan
from policy_cases import (
    DEPLOYER,
    OTHER_WORKSPACE,
    binding,
    catalog,
    environment,
    folder_permissions,
    grants,
    resource,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from mlops_estate.policies import RULES, Resource, evaluate

# The names and levels of ISOLATION_RULES.md: stable, referred to by CI configs and auditors.
DOCUMENTED_RULES = {
    "catalog-isolated": "mandatory", "catalog-bound-to-own-workspace": "mandatory",
    "cross-environment-read-only": "mandatory", "development-catalog-uat-only": "mandatory",
    "owner-is-not-a-person": "mandatory", "governed-read-execute-only": "mandatory",
    "manage-only-platform": "mandatory", "authoritative-grants-only": "mandatory",
    "no-deprecated-binding-resource": "mandatory", "deployment-folder-locked": "mandatory",
    "no-deployments-under-shared-or-users": "mandatory",
    "jobs-run-as-service-principal": "mandatory", "prod-humans-no-cluster-create": "mandatory",
    "workspace-hardened": "mandatory", "prod-protected": "mandatory",
    "storage-isolated": "mandatory", "no-long-lived-secrets": "mandatory",
    "storage-account-hardened": "mandatory",
    "tokens-for-service-principals-only": "advisory",
    "prod-workspace-registry-read-only": "advisory",
    "public-network-access-disabled": "advisory",
}

Stack = Callable[[], list[Resource]]


def uat(*extra: Resource) -> list[Resource]:
    return [*environment("uat"), *extra]


def prod(*extra: Resource) -> list[Resource]:
    return [*environment("prod"), *extra]


def bound(name: str, stack: str = "uat", **props: object) -> list[Resource]:
    protect = stack == "prod"
    cat = catalog(name, stack, **props)
    cat = Resource(cat.urn, cat.type, cat.name, cat.props, protect=protect)
    return [cat, binding(name, stack=stack)]


def storage(typ: str, name: str, mode: str = "ISOLATION_MODE_ISOLATED",
            workspace: str = "1001") -> list[Resource]:
    kind = "storage_credential" if typ.endswith("StorageCredential") else "external_location"
    return [resource(f"databricks:index/{typ}", name, name=name, isolationMode=mode,
                     owner="ml-platform-admins"),
            binding(name, workspace, securable_type=kind)]


HARDENED_ACCOUNT = {"enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
                    "allowBlobPublicAccess": False}
ACCOUNT = "azure-native:storage:StorageAccount"
ENTITLEMENTS = "databricks:index/entitlements:Entitlements"
JOB = "databricks:index/job:Job"

# (rule, case id, stack, number of violations of that rule)
CASES: list[tuple[str, str, Stack, int]] = [
    ("catalog-isolated", "isolated", lambda: uat(*bound("mlops_uat")), 0),
    ("catalog-isolated", "open", lambda: uat(*bound("mlops_uat", isolationMode="OPEN")), 1),
    ("catalog-isolated", "unset", lambda: uat(*bound("mlops_uat", isolationMode=None)), 1),
    ("catalog-bound-to-own-workspace", "bound", lambda: uat(*bound("mlops_uat")), 0),
    ("catalog-bound-to-own-workspace", "unbound", lambda: uat(catalog("mlops_uat")), 1),
    ("catalog-bound-to-own-workspace", "also-read-write-elsewhere",
     lambda: uat(*bound("mlops_uat"), binding("mlops_uat", OTHER_WORKSPACE)), 1),
    ("cross-environment-read-only", "uat-read-only-into-prod",
     lambda: prod(*bound("mlops_prod", "prod"),
                  binding("mlops_uat", stack="prod", binding_type="BINDING_TYPE_READ_ONLY")), 0),
    ("cross-environment-read-only", "uat-read-write-into-prod",
     lambda: prod(*bound("mlops_prod", "prod"), binding("mlops_uat", stack="prod")), 1),
    ("cross-environment-read-only", "prod-into-uat",
     lambda: uat(*bound("mlops_uat"),
                 binding("mlops_prod", binding_type="BINDING_TYPE_READ_ONLY")), 1),
    ("cross-environment-read-only", "prod-out-to-another-workspace",
     lambda: prod(*bound("mlops_prod", "prod"),
                  binding("mlops_prod", OTHER_WORKSPACE, "prod", "BINDING_TYPE_READ_ONLY")), 1),
    ("development-catalog-uat-only", "in-uat", lambda: uat(*bound("mlops_dev")), 0),
    ("development-catalog-uat-only", "bound-elsewhere",
     lambda: uat(*bound("mlops_dev"),
                 binding("mlops_dev", OTHER_WORKSPACE, binding_type="BINDING_TYPE_READ_ONLY")),
     1),
    ("development-catalog-uat-only", "in-prod",
     lambda: [*environment("prod", tags={"environment": "prod",
                                         "mlops-estate-development-catalog": "mlops_dev"}),
              *bound("mlops_dev", "prod")], 1),
    ("owner-is-not-a-person", "group-and-sp",
     lambda: uat(catalog("a", owner="ml-platform-admins"), catalog("b")), 0),
    ("owner-is-not-a-person", "user",
     lambda: uat(catalog("a", owner="someone@contoso.com")), 1),
    ("owner-is-not-a-person", "unset",
     lambda: uat(resource("databricks:index/schema:Schema", "s", catalogName="a", name="s")),
     1),
    ("governed-read-execute-only", "read",
     lambda: uat(grants("schema", "mlops_uat.churn_models", ml__engineers=["SELECT", "EXECUTE"],
                        **{DEPLOYER: ["ALL_PRIVILEGES"]})), 0),
    ("governed-read-execute-only", "modify-for-a-group",
     lambda: uat(grants("schema", "mlops_uat.churn_models", ml__engineers=["MODIFY"])), 1),
    ("governed-read-execute-only", "write-on-a-table",
     lambda: uat(grants("table", "mlops_uat.churn_features.t", ml__engineers=["MODIFY"])), 1),
    ("governed-read-execute-only", "development-catalog-is-not-governed",
     lambda: uat(grants("schema", "mlops_dev.scratch", ml__data__scientists=["MODIFY"])), 0),
    ("manage-only-platform", "platform-principals",
     lambda: uat(grants("catalog", "mlops_uat", ml__platform__admins=["MANAGE"],
                        **{DEPLOYER: ["ALL_PRIVILEGES"]})), 0),
    ("manage-only-platform", "data-scientists-on-feature-development",
     lambda: uat(grants("schema", "mlops_dev.feature_development",
                        ml__data__scientists=["ALL_PRIVILEGES", "MANAGE"])), 0),
    ("manage-only-platform", "data-scientists-elsewhere-in-development",
     lambda: uat(grants("schema", "mlops_dev.other", ml__data__scientists=["MANAGE"])), 1),
    ("manage-only-platform", "engineers-on-governed",
     lambda: uat(grants("schema", "mlops_uat.x", ml__engineers=["ALL_PRIVILEGES"])), 1),
    ("authoritative-grants-only", "grants",
     lambda: uat(grants("schema", "mlops_uat.x", ml__engineers=["SELECT"])), 0),
    ("authoritative-grants-only", "grant-on-development",
     lambda: uat(resource("databricks:index/grant:Grant", "g", schema="mlops_dev.x",
                          principal="ml-data-scientists", privileges=["SELECT"])), 0),
    ("authoritative-grants-only", "grant-on-governed",
     lambda: uat(resource("databricks:index/grant:Grant", "g", schema="mlops_uat.x",
                          principal="ml-engineers", privileges=["SELECT"])), 1),
    ("authoritative-grants-only", "sql-permissions",
     lambda: uat(resource("databricks:index/sqlPermissions:SqlPermissions", "p", table="t")), 1),
    ("no-deprecated-binding-resource", "workspace-binding", lambda: uat(*bound("a")), 0),
    ("no-deprecated-binding-resource", "catalog-workspace-binding",
     lambda: uat(resource("databricks:index/catalogWorkspaceBinding:CatalogWorkspaceBinding",
                          "b", catalogName="a", workspaceId="1001")), 1),
    ("deployment-folder-locked", "read-and-run",
     lambda: uat(folder_permissions("/Deployments/x", ml__engineers="CAN_RUN",
                                    ml__auditors="CAN_READ")), 0),
    ("deployment-folder-locked", "manage-for-humans",
     lambda: uat(folder_permissions("/Deployments/x", ml__engineers="CAN_MANAGE")), 1),
    ("deployment-folder-locked", "edit-for-humans",
     lambda: uat(folder_permissions("/PRValidation", ml__engineers="CAN_EDIT")), 1),
    ("no-deployments-under-shared-or-users", "locked-root",
     lambda: uat(resource("databricks:index/directory:Directory", "d", path="/Deployments")), 0),
    ("no-deployments-under-shared-or-users", "shared",
     lambda: uat(resource("databricks:index/directory:Directory", "d", path="/Shared/x")), 1),
    ("no-deployments-under-shared-or-users", "users-notebook",
     lambda: uat(resource("databricks:index/notebook:Notebook", "n",
                          path="/Users/a@contoso.com/n")), 1),
    ("no-deployments-under-shared-or-users", "permission-under-shared",
     lambda: uat(folder_permissions("/Shared", ml__engineers="CAN_READ")), 1),
    ("jobs-run-as-service-principal", "service-principal",
     lambda: uat(resource(JOB, "j", runAs={"servicePrincipalName": DEPLOYER})), 0),
    ("jobs-run-as-service-principal", "user",
     lambda: uat(resource(JOB, "j", runAs={"userName": "a@contoso.com"})), 1),
    ("jobs-run-as-service-principal", "creator",
     lambda: uat(resource("databricks:index/pipeline:Pipeline", "p", name="p")), 1),
    ("prod-humans-no-cluster-create", "prod-without",
     lambda: prod(resource(ENTITLEMENTS, "e", "prod", groupId="1", allowClusterCreate=False),
                  resource(ENTITLEMENTS, "sp", "prod", servicePrincipalId="2",
                           allowClusterCreate=True)), 0),
    ("prod-humans-no-cluster-create", "uat-may",
     lambda: uat(resource(ENTITLEMENTS, "e", groupId="1", allowClusterCreate=True)), 0),
    ("prod-humans-no-cluster-create", "prod-group",
     lambda: prod(resource(ENTITLEMENTS, "e", "prod", groupId="1",
                           allowInstancePoolCreate=True)), 1),
    ("prod-humans-no-cluster-create", "prod-user",
     lambda: prod(resource("databricks:index/user:User", "u", "prod",
                           userName="a@contoso.com", allowClusterCreate=True)), 1),
    ("workspace-hardened", "premium-no-public-ip", lambda: uat(), 0),
    ("workspace-hardened", "standard",
     lambda: environment("uat", sku={"name": "standard"}), 1),
    ("workspace-hardened", "public-ip", lambda: environment("uat", parameters={}), 1),
    ("prod-protected", "protected", lambda: prod(*bound("mlops_prod", "prod")), 0),
    ("prod-protected", "uat-needs-no-protection", lambda: uat(*bound("mlops_uat")), 0),
    ("prod-protected", "unprotected-catalog",
     lambda: prod(catalog("mlops_prod", "prod"), binding("mlops_prod", stack="prod")), 1),
    ("prod-protected", "force-destroy",
     lambda: prod(*bound("mlops_prod", "prod", forceDestroy=True)), 1),
    ("prod-protected", "unprotected-storage",
     lambda: prod(resource(ACCOUNT, "st", "prod", **HARDENED_ACCOUNT)), 1),
    ("storage-isolated", "isolated-and-bound",
     lambda: uat(*storage("storageCredential:StorageCredential", "c"),
                 *storage("externalLocation:ExternalLocation", "l")), 0),
    ("storage-isolated", "open",
     lambda: uat(*storage("storageCredential:StorageCredential", "c",
                          "ISOLATION_MODE_OPEN")), 1),
    ("storage-isolated", "bound-elsewhere",
     lambda: uat(*storage("externalLocation:ExternalLocation", "l", workspace="2002")), 2),
    ("no-long-lived-secrets", "federated-providers",
     lambda: uat(resource("pulumi:providers:databricks", "p", host="https://x")), 0),
    ("no-long-lived-secrets", "token",
     lambda: uat(resource("databricks:index/token:Token", "t", lifetimeSeconds=3600)), 1),
    ("no-long-lived-secrets", "service-principal-secret",
     lambda: uat(resource("databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
                          "s", servicePrincipalId="1")), 1),
    ("no-long-lived-secrets", "provider-client-secret",
     lambda: uat(resource("pulumi:providers:azure-native", "a", clientSecret="x")), 1),
    ("storage-account-hardened", "hardened",
     lambda: uat(resource(ACCOUNT, "st", **HARDENED_ACCOUNT)), 0),
    ("storage-account-hardened", "tls-1-0",
     lambda: uat(resource(ACCOUNT, "st", **{**HARDENED_ACCOUNT, "minimumTlsVersion": "TLS1_0"})),
     1),
    ("storage-account-hardened", "public-blobs-and-http",
     lambda: uat(resource(ACCOUNT, "st", minimumTlsVersion="TLS1_2")), 2),
    ("tokens-for-service-principals-only", "deployer",
     lambda: uat(resource("databricks:index/permissions:Permissions", "t", authorization="tokens",
                          accessControls=[{"servicePrincipalName": DEPLOYER,
                                           "permissionLevel": "CAN_USE"}])), 0),
    ("tokens-for-service-principals-only", "group",
     lambda: uat(resource("databricks:index/permissions:Permissions", "t", authorization="tokens",
                          accessControls=[{"groupName": "users", "permissionLevel": "CAN_USE"}])),
     1),
    ("prod-workspace-registry-read-only", "read",
     lambda: prod(resource("databricks:index/permissions:Permissions", "r", "prod",
                           registeredModelId="root",
                           accessControls=[{"groupName": "ml-engineers",
                                            "permissionLevel": "CAN_READ"}])), 0),
    ("prod-workspace-registry-read-only", "edit",
     lambda: prod(resource("databricks:index/permissions:Permissions", "r", "prod",
                           registeredModelId="root",
                           accessControls=[{"groupName": "ml-engineers",
                                            "permissionLevel": "CAN_EDIT"}])), 1),
    ("public-network-access-disabled", "disabled", lambda: uat(), 0),
    ("public-network-access-disabled", "enabled",
     lambda: environment("uat", publicNetworkAccess="Enabled"), 1),
]


def test_rules_are_those_of_isolation_rules_md() -> None:
    assert {rule.name: rule.enforcement for rule in RULES} == DOCUMENTED_RULES


def test_every_rule_has_a_breaking_and_a_keeping_case() -> None:
    for name in DOCUMENTED_RULES:
        counts = [count for rule, _, _, count in CASES if rule == name]
        assert 0 in counts and any(counts), name


@pytest.mark.parametrize(("rule", "stack", "expected"), [(c[0], c[2], c[3]) for c in CASES],
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_rule(rule: str, stack: Stack, expected: int) -> None:
    violations, _ = evaluate(stack())
    found = [v for v in violations if v.policy == rule]
    assert len(found) == expected, [v.message for v in violations]
    for violation in found:
        assert violation.enforcement == DOCUMENTED_RULES[rule]
        assert violation.urn.startswith("urn:pulumi:")
        assert violation.message


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_example_stacks_have_no_violations(stack: str) -> None:
    assert example_plan(stack).violations == []


def _unknown(resource_: Resource, **unknown: object) -> Resource:
    props = {**resource_.props, **{key: UNKNOWN_STRING_VALUE for key in unknown}}
    return Resource(resource_.urn, resource_.type, resource_.name,
                    unknown_checking_proxy(props), resource_.protect)


def test_unknown_values_are_not_applicable_yet_never_a_pass_or_a_crash() -> None:
    stack = uat(_unknown(catalog("mlops_uat"), isolationMode=True),
                _unknown(binding("mlops_uat"), workspaceId=True))
    violations, not_yet = evaluate(stack)
    assert violations == []
    assert {(n.policy, n.urn.rsplit("::", 1)[1]) for n in not_yet} >= {
        ("catalog-isolated", "mlops_uat"), ("catalog-bound-to-own-workspace", "mlops_uat")}


def test_an_unknown_workspace_id_defers_binding_rules() -> None:
    stack = [*environment("uat"), *bound("mlops_uat")]
    stack[0] = _unknown(stack[0], workspaceId=True)
    violations, not_yet = evaluate(stack)
    assert violations == []
    assert "catalog-bound-to-own-workspace" in {n.policy for n in not_yet}


def test_unknown_tags_fall_back_to_the_stack_name() -> None:
    workspace = environment("prod")[0]
    tags = unknown_checking_proxy({**workspace.props, "tags": {"environment":
                                                               UNKNOWN_STRING_VALUE}})
    stack = [Resource(workspace.urn, workspace.type, workspace.name, tags, protect=True),
             resource(ENTITLEMENTS, "e", "prod", groupId="1", allowClusterCreate=True)]
    violations, _ = evaluate(stack)
    assert [v.policy for v in violations] == ["prod-humans-no-cluster-create"]


def test_environment_falls_back_to_the_stack_name() -> None:
    untagged = resource("azure-native:databricks:Workspace", "w", "prod-westeurope",
                        sku={"name": "premium"}, workspaceId="1001",
                        parameters={"enableNoPublicIp": {"value": True}},
                        publicNetworkAccess="Disabled")
    entitlement = resource(ENTITLEMENTS, "e", "prod-westeurope", groupId="1",
                           allowClusterCreate=True)
    violations, _ = evaluate([untagged, entitlement])
    assert [v.policy for v in violations] == ["prod-humans-no-cluster-create", "prod-protected"]
