"""Hand-written programs that try to escape the rules, each caught by the rule meant for it.

Each program is the estate's own stack program plus a few resources written by hand (with
the estate's own providers: `opts` on the workspace, `account` on the account, `azure` on
Azure). `estate plan` must exit 1, and exactly the listed rules must fire, on exactly the
listed resources.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.plans import add_to_program
from typer.testing import CliRunner

from mlops_estate.cli import app

FOREIGN_SP = "12345678-1234-4123-8123-123456789abc"
HUMAN_OBJECT_ID = "12121212-1212-4121-8121-121212121212"
BOTH, UAT, PROD = ("uat", "prod"), ("uat",), ("prod",)

# (id, stacks, program, {(rule, logical name of the resource that breaks it)})
ESCAPES: list[tuple[str, tuple[str, ...], str, set[tuple[str, str]]]] = [
    # --- Unity Catalog grants on every securable type -----------------------------------
    ("read-files-on-the-catalog-storage", BOTH, """
databricks.Grants("files", external_location=f"{pulumi.get_stack()}_catalog_root",
    grants=[{"principal": "ml-engineers", "privileges": ["READ_FILES", "WRITE_FILES"]}],
    opts=opts)
""", {("metastore-securables-platform-only", "files")}),
    ("all-privileges-on-the-storage-credential", BOTH, """
databricks.Grants("credential", storage_credential=f"{pulumi.get_stack()}_catalog_storage",
    grants=[{"principal": "ml-data-scientists", "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
""", {("metastore-securables-platform-only", "credential"),
      ("manage-only-platform", "credential")}),
    ("create-catalog-on-the-metastore", BOTH, """
databricks.Grants("metastore", metastore="44444444-4444-4444-8444-444444444444",
    grants=[{"principal": "ml-data-scientists", "privileges": ["CREATE_CATALOG"]}], opts=opts)
""", {("metastore-securables-platform-only", "metastore")}),
    ("modify-on-a-governed-schema", BOTH, """
databricks.Grants("modify", schema=f"mlops_{pulumi.get_stack()}.churn_models",
    grants=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)
""", {("governed-read-execute-only", "modify")}),
    ("write-volume-in-a-governed-catalog", BOTH, """
databricks.Grants("volume", volume=f"mlops_{pulumi.get_stack()}.churn_features.raw",
    grants=[{"principal": "ml-auditors", "privileges": ["WRITE_VOLUME"]}], opts=opts)
""", {("governed-read-execute-only", "volume")}),
    ("manage-a-governed-catalog", BOTH, """
databricks.Grants("manage", catalog=f"mlops_{pulumi.get_stack()}",
    grants=[{"principal": "ml-engineers", "privileges": ["MANAGE"]}], opts=opts)
""", {("manage-only-platform", "manage"), ("governed-read-execute-only", "manage")}),
    ("a-single-grant", BOTH, """
databricks.Grant("single", schema=f"mlops_{pulumi.get_stack()}.churn_models",
    principal="ml-engineers", privileges=["SELECT"], opts=opts)
""", {("authoritative-grants-only", "single")}),
    ("hive-table-acls", UAT, """
databricks.SqlPermissions("hive", table="t",
    privilege_assignments=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)
""", {("authoritative-grants-only", "hive")}),
    ("a-look-alike-service-principal", BOTH, """
databricks.Grants("uuid", catalog=f"mlops_{pulumi.get_stack()}",
    grants=[{"principal": "12345678-1234-4123-8123-123456789abc",
             "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
""", {("service-principals-declared", "uuid")}),
    ("modify-a-governed-table", BOTH, """
databricks.Grants("table", table=f"mlops_{pulumi.get_stack()}.churn_features.customers",
    grants=[{"principal": "ml-data-scientists", "privileges": ["MODIFY"]}], opts=opts)
""", {("governed-read-execute-only", "table")}),
    ("manage-a-governed-function", BOTH, """
databricks.Grants("function", function=f"mlops_{pulumi.get_stack()}.churn_features.score",
    grants=[{"principal": "ml-engineers", "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
""", {("governed-read-execute-only", "function"), ("manage-only-platform", "function")}),
    ("apply-tag-on-a-governed-model", BOTH, """
databricks.Grants("model", model=f"mlops_{pulumi.get_stack()}.churn_models.churn",
    grants=[{"principal": "ml-engineers", "privileges": ["APPLY_TAG"]}], opts=opts)
""", {("governed-read-execute-only", "model")}),
    ("select-on-a-share", BOTH, """
databricks.Grants("share-grant", share="everything",
    grants=[{"principal": "ml-engineers", "privileges": ["SELECT"]}], opts=opts)
""", {("metastore-securables-platform-only", "share-grant")}),
    # --- Owners -------------------------------------------------------------------------
    ("a-schema-owned-by-account-users", BOTH, """
databricks.Schema("everyone", catalog_name=f"mlops_{pulumi.get_stack()}", name="x",
    owner="account users", opts=opts)
""", {("owner-is-not-a-person", "everyone")}),
    ("a-volume-owned-by-a-person", BOTH, """
databricks.Volume("personal", catalog_name=f"mlops_{pulumi.get_stack()}",
    schema_name="churn_features", name="v", volume_type="MANAGED", owner="eve@contoso.com",
    opts=opts)
""", {("owner-is-not-a-person", "personal")}),
    ("a-schema-owned-by-a-persona", BOTH, """
databricks.Schema("engineers", catalog_name=f"mlops_{pulumi.get_stack()}", name="y",
    owner="ml-engineers", opts=opts)
""", {("owners-are-platform-principals", "engineers")}),
    # --- Workspace admins, membership, rule sets, principals ----------------------------
    ("an-admin-assignment", BOTH, """
databricks.MwsPermissionAssignment("admin", workspace_id=environment.workspace.workspace_id,
    principal_id=databricks.get_group_output(display_name="ml-engineers",
        opts=pulumi.InvokeOptions(provider=environment.account_provider)).id,
    permissions=["ADMIN"], opts=account)
""", {("no-workspace-admins", "admin")}),
    ("a-workspace-admin-by-name", BOTH, """
databricks.PermissionAssignment("admin-by-name", group_name="ml-engineers",
    permissions=["ADMIN"], opts=opts)
""", {("no-workspace-admins", "admin-by-name")}),
    ("a-contractor-group-in-the-workspace", BOTH, """
databricks.PermissionAssignment("contractors", group_name="contractors",
    permissions=["USER"], opts=opts)
""", {("workspace-access-declared", "contractors")}),
    ("a-user-joins-admins", BOTH, """
admins = databricks.get_group_output(display_name="admins", opts=pulumi.InvokeOptions(
    provider=environment.workspace_provider))
databricks.GroupMember("join-admins", group_id=admins.id, member_id="1234", opts=opts)
""", {("group-membership-declared", "join-admins")}),
    ("the-deployer-joins-admins", PROD, """
admins = databricks.get_group_output(display_name="admins", opts=pulumi.InvokeOptions(
    provider=environment.account_provider))
databricks.GroupMember("deployer-admin", group_id=admins.id,
    member_id=environment.deployer.service_principal_id, opts=account)
""", {("group-membership-declared", "deployer-admin")}),
    ("an-account-admin-role", BOTH, """
databricks.GroupRole("account-admin", group_id="1234", role="account_admin", opts=account)
""", {("no-workspace-admins", "account-admin")}),
    ("humans-act-as-the-deployer", BOTH, """
databricks.AccessControlRuleSet("act-as", name="accounts/x/servicePrincipals/y/ruleSets/default",
    grant_rules=[{"principals": ["groups/ml-engineers"],
                  "role": "roles/servicePrincipal.user"}], opts=account)
""", {("no-service-principal-impersonation", "act-as")}),
    ("a-user-created-in-the-workspace", BOTH, """
databricks.User("eve", user_name="eve@contoso.com", opts=opts)
""", {("account-principals-declared", "eve")}),
    ("a-second-service-principal", BOTH, """
databricks.ServicePrincipal("helper", application_id="12345678-1234-4123-8123-123456789abc",
    display_name="helper", opts=account)
""", {("account-principals-declared", "helper"), ("service-principals-declared", "helper")}),
    # --- Object permissions, jobs, folders, compute -------------------------------------
    ("manage-a-job", BOTH, """
job = databricks.Job("job", name="job",
    run_as={"service_principal_name": environment.deployer.application_id}, opts=opts)
databricks.Permissions("job-acl", job_id=job.id, access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
""", {("object-permissions-read-run-only", "job-acl")}),
    ("edit-a-repo", BOTH, """
databricks.Permissions("repo-acl", repo_path="/Repos/project", access_controls=[
    {"user_name": "eve@contoso.com", "permission_level": "CAN_EDIT"}], opts=opts)
""", {("object-permissions-read-run-only", "repo-acl")}),
    ("a-job-runs-as-a-person", BOTH, """
databricks.Job("personal-job", name="j", run_as={"user_name": "eve@contoso.com"}, opts=opts)
""", {("jobs-run-as-service-principal", "personal-job")}),
    ("a-job-runs-as-a-foreign-service-principal", BOTH, """
databricks.Job("foreign-job", name="j",
    run_as={"service_principal_name": "12345678-1234-4123-8123-123456789abc"}, opts=opts)
""", {("service-principals-declared", "foreign-job")}),
    ("a-pipeline-runs-as-a-person", BOTH, """
databricks.Pipeline("personal-pipeline", name="p", catalog=f"mlops_{pulumi.get_stack()}",
    run_as={"user_name": "eve@contoso.com"}, opts=opts)
""", {("jobs-run-as-service-principal", "personal-pipeline")}),
    ("manage-a-serving-endpoint", BOTH, """
databricks.Permissions("endpoint-acl", serving_endpoint_id="churn", access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
""", {("object-permissions-read-run-only", "endpoint-acl")}),
    ("manage-a-sql-warehouse", BOTH, """
databricks.Permissions("warehouse-acl", sql_endpoint_id="w1", access_controls=[
    {"group_name": "ml-auditors", "permission_level": "CAN_MANAGE"}], opts=opts)
""", {("object-permissions-read-run-only", "warehouse-acl")}),
    ("humans-manage-tokens", BOTH, """
databricks.Permissions("token-acl", authorization="tokens", access_controls=[
    {"group_name": "ml-data-scientists", "permission_level": "CAN_MANAGE"}], opts=opts)
""", {("object-permissions-read-run-only", "token-acl")}),
    ("edit-a-deployed-notebook", BOTH, """
databricks.Permissions("notebook-acl", notebook_path="/Deployments/mlops/train",
    access_controls=[{"group_name": "ml-engineers", "permission_level": "CAN_EDIT"}], opts=opts)
""", {("deployment-folder-locked", "notebook-acl"),
      ("object-permissions-read-run-only", "notebook-acl")}),
    ("manage-the-deployment-folder", BOTH, """
databricks.Permissions("folder-acl", directory_path="/Deployments/mlops", access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
""", {("deployment-folder-locked", "folder-acl"),
      ("object-permissions-read-run-only", "folder-acl")}),
    ("deploy-under-shared", BOTH, """
databricks.Directory("shared", path="/Shared/mlops", opts=opts)
""", {("no-deployments-under-shared-or-users", "shared")}),
    ("deploy-under-workspace-users", BOTH, """
databricks.Notebook("notebook", path="/Workspace/Users/eve@contoso.com/nb",
    content_base64="", language="PYTHON", opts=opts)
""", {("no-deployments-under-shared-or-users", "notebook")}),
    ("humans-create-clusters-in-prod", PROD, """
databricks.Entitlements("entitled", group_id="1234", allow_cluster_create=True, opts=opts)
""", {("prod-humans-no-cluster-create", "entitled")}),
    ("humans-use-a-prod-cluster-policy", PROD, """
databricks.Permissions("policy-acl", cluster_policy_id="1", access_controls=[
    {"group_name": "ml-data-scientists", "permission_level": "CAN_USE"}], opts=opts)
""", {("prod-no-human-cluster-policy", "policy-acl")}),
    ("a-cluster-policy-without-isolation", BOTH, """
databricks.ClusterPolicy("no-isolation", name="free",
    definition='{"data_security_mode": {"type": "fixed", "value": "NONE"}}', opts=opts)
""", {("cluster-policies-unity-catalog-only", "no-isolation")}),
    ("view-acls-off", BOTH, """
databricks.WorkspaceConf("weaker", custom_config={"enforceWorkspaceViewAcls": "false"},
    opts=opts)
""", {("workspace-conf-hardened", "weaker")}),
    # --- Catalogs, bindings, storage ----------------------------------------------------
    ("an-open-catalog", UAT, """
c = databricks.Catalog("open", name="open_cat", isolation_mode="OPEN",
    owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("open-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
""", {("catalog-isolated", "open")}),
    ("an-open-catalog-in-prod", PROD, """
c = databricks.Catalog("open", name="open_cat", isolation_mode="OPEN",
    owner="ml-platform-admins",
    opts=pulumi.ResourceOptions(provider=environment.workspace_provider, protect=True))
databricks.WorkspaceBinding("open-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
""", {("catalog-isolated", "open"), ("development-catalog-uat-only", "open")}),
    ("a-read-write-binding-elsewhere", UAT, """
databricks.WorkspaceBinding("leak", securable_name="mlops_uat", workspace_id="42", opts=opts)
""", {("cross-environment-read-only", "leak"),
      ("catalog-bound-to-own-workspace", "uat-governed-catalog")}),
    ("prod-data-bound-out", PROD, """
databricks.WorkspaceBinding("prod-out", securable_name="mlops_prod", workspace_id="42",
    binding_type="BINDING_TYPE_READ_ONLY", opts=opts)
""", {("cross-environment-read-only", "prod-out")}),
    ("a-development-catalog-in-prod", PROD, """
c = databricks.Catalog("dev", name="mlops_dev", isolation_mode="ISOLATED",
    owner="ml-platform-admins", opts=pulumi.ResourceOptions(provider=environment.workspace_provider,
                                                            protect=True))
databricks.WorkspaceBinding("dev-home", securable_name=c.name,
    workspace_id=environment.workspace.workspace_id, opts=opts)
""", {("development-catalog-uat-only", "dev")}),
    ("an-open-external-location", BOTH, """
loc = databricks.ExternalLocation("open-location", name="open_loc", url="abfss://x@y.dfs.core.windows.net/",
    credential_name=f"{pulumi.get_stack()}_catalog_storage", isolation_mode="ISOLATION_MODE_OPEN",
    owner="ml-platform-admins", opts=opts)
databricks.WorkspaceBinding("open-location-home", securable_type="external_location",
    securable_name=loc.name, workspace_id=environment.workspace.workspace_id, opts=opts)
""", {("storage-isolated", "open-location")}),
    ("the-deprecated-binding", BOTH, """
databricks.CatalogWorkspaceBinding("old", catalog_name="mlops_dev", workspace_id="1", opts=opts)
""", {("no-deprecated-binding-resource", "old")}),
    ("a-token-share-of-governed-data", BOTH, """
databricks.Share("share", name="s", objects=[{"name": f"mlops_{pulumi.get_stack()}.churn_features.t",
    "data_object_type": "TABLE"}], owner="ml-platform-admins", opts=opts)
databricks.Recipient("recipient", name="r", authentication_type="TOKEN",
    owner="ml-platform-admins", opts=opts)
""", {("no-delta-sharing-of-governed-data", "share"),
      ("no-delta-sharing-of-governed-data", "recipient")}),
    ("another-metastore", BOTH, """
databricks.MetastoreAssignment("other-metastore", metastore_id="55555555-5555-4555-8555-555555555555",
    workspace_id=environment.workspace.workspace_id, opts=account)
""", {("metastore-assignment-own", "other-metastore")}),
    # --- Azure ----------------------------------------------------------------------------
    ("owner-role-for-a-group", BOTH, """
azure_native.authorization.RoleAssignment("owner", principal_id="12121212-1212-4121-8121-121212121212",
    role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    scope=environment.resource_group_name, opts=azure)
""", {("role-assignments-declared-principals", "owner")}),
    ("blob-data-owner-for-a-user", BOTH, """
azure_native.authorization.RoleAssignment("data-owner", principal_id="12121212-1212-4121-8121-121212121212",
    role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    scope=environment.storage_account.account_id, opts=azure)
""", {("role-assignments-declared-principals", "data-owner")}),
    ("a-custom-role", BOTH, """
azure_native.authorization.RoleDefinition("custom", role_name="custom",
    scope="/subscriptions/x", permissions=[{"actions": ["*"]}], opts=azure)
""", {("role-assignments-declared-principals", "custom")}),
    ("an-open-storage-account", BOTH, """
azure_native.storage.StorageAccount("open-storage", account_name="stopen",
    resource_group_name=environment.resource_group_name, location="westeurope",
    kind="StorageV2", sku={"name": "Standard_LRS"}, enable_https_traffic_only=True,
    minimum_tls_version="TLS1_2", allow_blob_public_access=False,
    opts=pulumi.ResourceOptions(provider=environment.azure_provider, protect=True))
""", {("storage-account-private", "open-storage")}),
    ("a-federated-credential-for-pull-requests", BOTH, """
azure_native.managedidentity.FederatedIdentityCredential("pr", federated_identity_credential_resource_name="pr",
    resource_name_=f"id-mlops-deployer-{pulumi.get_stack()}",
    resource_group_name=environment.resource_group_name,
    issuer="https://token.actions.githubusercontent.com", audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:pull_request", opts=azure)
""", {("federated-credentials-restricted", "pr")}),
    ("prod-trusted-from-uat-jobs", PROD, """
azure_native.managedidentity.FederatedIdentityCredential("uat-jobs", federated_identity_credential_resource_name="uat",
    resource_name_="id-mlops-deployer-prod",
    resource_group_name=environment.resource_group_name,
    issuer="https://token.actions.githubusercontent.com", audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:environment:uat", opts=azure)
""", {("federated-credentials-restricted", "uat-jobs")}),
    ("a-federation-policy-for-a-whole-organisation", BOTH, """
databricks.ServicePrincipalFederationPolicy("org", service_principal_id=1, oidc_policy={
    "issuer": "https://token.actions.githubusercontent.com", "subject_claim": "repository_owner",
    "subject": "contoso"}, opts=account)
""", {("federation-policies-restricted", "org")}),
    ("a-second-workspace", BOTH, """
azure_native.databricks.Workspace("shadow", workspace_name="dbw-shadow",
    resource_group_name=environment.resource_group_name, location="westeurope",
    sku={"name": "premium"}, managed_resource_group_id="/subscriptions/x/resourceGroups/shadow",
    parameters={"enable_no_public_ip": {"value": True}}, public_network_access="Disabled",
    tags={"environment": "staging"},
    opts=pulumi.ResourceOptions(provider=environment.azure_provider, protect=True))
""", {("one-databricks-workspace", "shadow")}),
    # --- Secrets, providers, unknown types ----------------------------------------------
    ("a-personal-access-token", BOTH, """
databricks.Token("pat", lifetime_seconds=3600, opts=opts)
""", {("no-long-lived-secrets", "pat")}),
    ("a-service-principal-secret", BOTH, """
databricks.ServicePrincipalSecret("sp-secret", service_principal_id="1", opts=account)
""", {("no-long-lived-secrets", "sp-secret")}),
    ("a-stored-secret", BOTH, """
databricks.Secret("stored", scope="x", key="k", string_value="hunter2", opts=opts)
""", {("no-long-lived-secrets", "stored")}),
    ("a-git-credential", BOTH, """
databricks.GitCredential("git", git_provider="gitHub", git_username="eve",
    personal_access_token="ghp_x", opts=opts)
""", {("no-long-lived-secrets", "git")}),
    ("a-cluster-no-rule-reviews", BOTH, """
databricks.Cluster("cluster", spark_version="x", node_type_id="y", num_workers=1,
    data_security_mode="NONE", opts=opts)
""", {("unreviewed-resource-type", "cluster")}),
    ("a-dynamic-resource", BOTH, """
from pulumi.dynamic import CreateResult, Resource, ResourceProvider
class Anything(ResourceProvider):
    def create(self, props):
        return CreateResult("x", {})
class Thing(Resource):
    def __init__(self, name):
        super().__init__(Anything(), name, {})
Thing("dynamic")
""", {("unreviewed-resource-type", "dynamic")}),
    ("a-provider-for-another-workspace", BOTH, """
other = databricks.Provider("other-workspace", host="https://adb-9.9.azuredatabricks.net")
databricks.Directory("elsewhere", path="/Deployments/x", opts=pulumi.ResourceOptions(provider=other))
""", {("providers-target-own-estate", "other-workspace")}),
    ("a-provider-for-another-subscription", BOTH, """
other = azure_native.Provider("other-subscription",
    subscription_id="99999999-9999-4999-8999-999999999999",
    tenant_id="22222222-2222-4222-8222-222222222222")
""", {("providers-target-own-estate", "other-subscription")}),
    ("the-default-provider", BOTH, """
databricks.Directory("ambient", path="/Deployments/ambient")
""", {("providers-target-own-estate", "ambient")}),
]


def test_the_table_covers_enough_escapes() -> None:
    assert len(ESCAPES) >= 40
    assert len({case[0] for case in ESCAPES}) == len(ESCAPES)


@pytest.mark.parametrize(
    ("stack", "program", "expected"),
    [(stack, case[2], case[3]) for case in ESCAPES for stack in case[1]],
    ids=[f"{case[0]}:{stack}" for case in ESCAPES for stack in case[1]],
)
def test_escape_is_caught(project: Path, stack: str, program: str,
                          expected: set[tuple[str, str]]) -> None:
    add_to_program(project, program)
    result = CliRunner().invoke(app, ["plan", "--stack", stack, "--cwd", str(project),
                                      "--json", str(project / "plan.json"), "--no-tree"])
    assert result.exit_code == 1, result.output
    document = json.loads((project / "plan.json").read_text())
    urn_of = {r["name"]: r["urn"] for r in document["resources"]}
    found = {(v["policy"], v["urn"]) for v in document["violations"]
             if v["enforcement"] == "mandatory"}
    assert found == {(rule, urn_of[name]) for rule, name in expected}


# Programs that reach into the rules' module state before registering a violation.
TAMPERING = {
    "clears-the-registry": """
import mlops_estate.rules.registry
mlops_estate.rules.registry.RULES.clear()
""",
    "replaces-evaluate": """
import sys
import mlops_estate.rules
sys.modules["mlops_estate.rules.evaluate"].evaluate = lambda *args, **kwargs: []
mlops_estate.rules.evaluate = lambda *args, **kwargs: []
""",
    "downgrades-every-rule": """
import dataclasses
from mlops_estate.rules import registry
registry.RULES[:] = [dataclasses.replace(r, enforcement="advisory") for r in registry.RULES]
""",
}


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_tampering_with_the_rules_changes_no_verdict(project: Path, tampering: str) -> None:
    add_to_program(project, TAMPERING[tampering] + """
databricks.Token("pat", lifetime_seconds=3600, opts=opts)
""")
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project),
                                      "--json", str(project / "plan.json"), "--no-tree"])
    assert result.exit_code == 1, result.output
    document = json.loads((project / "plan.json").read_text())
    assert {(v["policy"], v["enforcement"], v["urn"]) for v in document["violations"]} == {
        ("no-long-lived-secrets", "mandatory",
         "urn:pulumi:uat::mlops-estate::databricks:index/token:Token::pat")}
