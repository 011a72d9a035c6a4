"""Workspace isolation and identities: personas, the federated deployer, locked folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.plans import example_plan, of_type, with_extra_program

from mlops_estate.commands.plan.runner import Plan, PlanFailure
from mlops_estate.vocabulary.workspace import (
    REVIEWED_WORKSPACE_SETTINGS,
    WORKSPACE_HARDENING,
    under_human_writable_root,
)

PERSONA_GROUPS = {"ml-data-scientists", "ml-engineers", "ml-platform-admins", "ml-auditors"}
SECRET_BEARING_TYPES = {
    "databricks:index/token:Token",
    "databricks:index/oboToken:OboToken",
    "databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
    "databricks:index/secret:Secret",
    "azuread:index/applicationPassword:ApplicationPassword",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
}
SECRET_INPUTS = {
    "token",
    "password",
    "clientSecret",
    "azureClientSecret",
    "clientCertificatePassword",
    "googleCredentials",
}


def secrets_in(plan: Plan) -> list[str]:
    """Resources of a secret-bearing type, and any resource or provider given a secret input."""
    return [
        r.urn
        for r in plan.resources
        if r.type in SECRET_BEARING_TYPES or SECRET_INPUTS & set(r.inputs)
    ]


def folder_acl(plan: Plan, path: str) -> list[dict]:
    (permissions,) = [
        r for r in of_type(plan, ":Permissions") if r.inputs.get("directoryPath") == path
    ]
    return permissions.inputs["accessControls"]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_deployer_is_federated_with_github_actions(stack: str) -> None:
    plan = example_plan(stack)
    (credential,) = of_type(plan, ":FederatedIdentityCredential")
    assert credential.inputs["subject"] == f"repo:contoso/ml-projects:environment:{stack}"
    assert credential.inputs["issuer"] == "https://token.actions.githubusercontent.com"
    assert credential.inputs["audiences"] == ["api://AzureADTokenExchange"]
    assert credential.inputs["resourceName"] == f"id-mlops-deployer-{stack}"
    (identity,) = of_type(plan, ":UserAssignedIdentity")
    (principal,) = of_type(plan, ":ServicePrincipal")
    assert (
        principal.inputs["applicationId"]
        == plan.outputs["deployer"]["managed_identity_client_id"]
        == plan.outputs["deployer"]["application_id"]
    )
    assert principal.provider.endswith("::databricks-account")
    assert identity.inputs["resourceName"] == f"id-mlops-deployer-{stack}"


def test_one_federated_credential_per_repository_and_environment(
    plan_with: Callable[..., Plan],
) -> None:
    plan = plan_with(
        "uat",
        lambda e: e["deployer"]["github"].append(
            {"repository": "contoso/feature-store", "environment": "uat-features"}
        ),
    )
    subjects = sorted(r.inputs["subject"] for r in of_type(plan, ":FederatedIdentityCredential"))
    assert subjects == [
        "repo:contoso/feature-store:environment:uat-features",
        "repo:contoso/ml-projects:environment:uat",
    ]
    assert plan.outputs["deployer"]["federated_subjects"] == [
        "repo:contoso/ml-projects:environment:uat",
        "repo:contoso/feature-store:environment:uat-features",
    ]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_no_secret_is_created_anywhere(stack: str) -> None:
    assert secrets_in(example_plan(stack)) == []


def test_a_hand_written_token_is_found(project: Path) -> None:
    plan = with_extra_program(
        project, "uat", 'databricks.Token("pat", lifetime_seconds=3600, opts=opts)\n'
    )
    assert secrets_in(plan) == ["urn:pulumi:uat::mlops-estate::databricks:index/token:Token::pat"]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_personas_and_deployer_are_assigned_as_workspace_users(stack: str) -> None:
    plan = example_plan(stack)
    assignments = of_type(plan, ":MwsPermissionAssignment")
    assert len(assignments) == 5
    for assignment in assignments:
        assert assignment.inputs["permissions"] == ["USER"]
        assert assignment.inputs["workspaceId"] == plan.outputs["workspace"]["id"]
        assert assignment.provider.endswith("::databricks-account")
    assert {p["group"] for p in plan.outputs["personas"]} == PERSONA_GROUPS


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_no_human_group_creates_clusters_or_pools_by_default(stack: str) -> None:
    plan = example_plan(stack)
    groups = [r for r in of_type(plan, ":Entitlements") if "groupId" in r.inputs]
    personas = [r.inputs for r in groups if not r.name.endswith("-users-entitlements")]
    assert len(personas) == 4
    for entitlements in personas:
        assert "allowClusterCreate" not in entitlements
        assert "allowInstancePoolCreate" not in entitlements
        assert entitlements["workspaceAccess"] is True


def test_uat_may_let_a_persona_create_clusters(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(
        "uat",
        lambda e: e.setdefault("workspace", {}).update(
            entitlements={"ml_engineers": {"allow_cluster_create": True}}
        ),
    )
    entitled = [
        p["role"] for p in plan.outputs["personas"] if p["entitlements"]["allow_cluster_create"]
    ]
    assert entitled == ["ml_engineers"]


def test_prod_rejects_cluster_creation_for_humans(plan_with: Callable[..., Plan]) -> None:
    with pytest.raises(PlanFailure) as raised:
        plan_with(
            "prod",
            lambda e: e.setdefault("workspace", {}).update(
                entitlements={"data_scientists": {"allow_instance_pool_create": True}}
            ),
        )
    assert raised.value.registered == []
    assert (
        "mlops-estate:estate.workspace.entitlements.data_scientists."
        "allow_instance_pool_create: must be false in prod"
    ) in str(raised.value)


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_deployment_folder_is_locked(stack: str) -> None:
    plan = example_plan(stack)
    assert "/Deployments/mlops" in {r.inputs["path"] for r in of_type(plan, ":Directory")}
    deployer = plan.outputs["deployer"]["application_id"]
    assert folder_acl(plan, "/Deployments/mlops") == [
        {"permissionLevel": "CAN_MANAGE", "servicePrincipalName": deployer},
        {"groupName": "ml-data-scientists", "permissionLevel": "CAN_RUN"},
        {"groupName": "ml-engineers", "permissionLevel": "CAN_RUN"},
        {"groupName": "ml-platform-admins", "permissionLevel": "CAN_READ"},
        {"groupName": "ml-auditors", "permissionLevel": "CAN_READ"},
    ]
    assert plan.outputs["folders"]["/Deployments/mlops"]["purpose"] == "deployment"


def test_pr_validation_folder_only_in_uat_and_read_only_for_humans() -> None:
    uat = example_plan("uat")
    acl = folder_acl(uat, "/PRValidation/mlops")
    assert acl[0]["permissionLevel"] == "CAN_MANAGE" and "servicePrincipalName" in acl[0]
    assert {(a["groupName"], a["permissionLevel"]) for a in acl[1:]} == {
        (group, "CAN_READ") for group in PERSONA_GROUPS
    }
    assert "/PRValidation/mlops" not in example_plan("prod").outputs["folders"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("CAN_WRITE", "a workspace permission level the API accepts"),
        ("CAN_MANAGE", "humans hold on deployment folders only CAN_READ, CAN_RUN"),
    ],
)
def test_folder_access_for_humans_is_checked(
    plan_with: Callable[..., Plan], value: str, words: str
) -> None:
    with pytest.raises(PlanFailure) as raised:
        plan_with(
            "uat",
            lambda e: e.setdefault("workspace", {}).update(folder_access={"ml_engineers": value}),
        )
    assert "mlops-estate:estate.workspace.folder_access.ml_engineers" in str(raised.value)
    assert words in str(raised.value)


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_workspace_settings_back_the_isolation(stack: str) -> None:
    plan = example_plan(stack)
    (conf,) = of_type(plan, ":WorkspaceConf")
    assert conf.inputs["customConfig"] == {
        "enableJobViewAcls": "true",
        "enableVerboseAuditLogs": "true",
        "enableTokensConfig": "false",
        "enforceClusterViewAcls": "true",
        "enforceWorkspaceViewAcls": "true",
        "maxTokenLifetimeDays": "90",
    }


def test_token_permissions_only_once_the_config_manages_them(
    plan_with: Callable[..., Plan],
) -> None:
    plan = plan_with(
        "prod",
        lambda e: e.setdefault("workspace", {}).update(
            tokens={"enabled": True, "manage_permissions": True, "max_lifetime_days": 30}
        ),
    )
    (conf,) = of_type(plan, ":WorkspaceConf")
    assert conf.inputs["customConfig"]["enableTokensConfig"] == "true"
    assert conf.inputs["customConfig"]["maxTokenLifetimeDays"] == "30"
    (tokens,) = [
        r for r in of_type(plan, ":Permissions") if r.inputs.get("authorization") == "tokens"
    ]
    assert tokens.inputs["accessControls"] == [
        {
            "permissionLevel": "CAN_USE",
            "servicePrincipalName": plan.outputs["deployer"]["application_id"],
        }
    ]
    assert plan.violations == []


def test_token_lifetime_is_bounded(plan_with: Callable[..., Plan]) -> None:
    with pytest.raises(PlanFailure, match=r"workspace\.tokens\.max_lifetime_days"):
        plan_with(
            "prod",
            lambda e: e.setdefault("workspace", {}).update(tokens={"max_lifetime_days": 3650}),
        )


def test_prod_workspace_registry_is_read_only_for_humans() -> None:
    def registry(plan: Plan) -> list[dict]:
        return [
            r.inputs["accessControls"]
            for r in of_type(plan, ":Permissions")
            if r.inputs.get("registeredModelId") == "root"
        ]

    assert registry(example_plan("uat")) == []
    (acl,) = registry(example_plan("prod"))
    humans = [a for a in acl if "groupName" in a]
    assert {a["groupName"] for a in humans} == PERSONA_GROUPS
    assert {a["permissionLevel"] for a in humans} == {"CAN_READ"}


def test_compute_policies() -> None:
    uat, prod = example_plan("uat"), example_plan("prod")
    assert sorted(r.inputs["name"] for r in of_type(uat, ":ClusterPolicy")) == [
        "mlops-uat-deployer-jobs",
        "mlops-uat-personal-compute",
    ]
    (personal,) = [r for r in of_type(uat, ":ClusterPolicy") if "policyFamilyId" in r.inputs]
    assert personal.inputs["policyFamilyId"] == "personal-vm"
    assert uat.outputs["workspace_settings"]["cluster_policies"]["personal_compute"] == [
        {"permission_level": "CAN_USE", "role": "data_scientists"}
    ]
    assert [r.inputs["name"] for r in of_type(prod, ":ClusterPolicy")] == [
        "mlops-prod-deployer-jobs"
    ]
    assert (
        '"cluster_type": {"type": "fixed", "value": "job"}'
        in of_type(prod, ":ClusterPolicy")[0].inputs["definition"]
    )


@pytest.mark.parametrize(
    ("path", "human_writable"),
    [
        ("//Shared/mlops", True),
        ("/Shared//mlops", True),
        ("/Deployments/../Shared/mlops", True),
        ("/Workspace//Users/a@contoso.com/./x", True),
        ("/deployments/../../SHARED", True),
        ("/Deployments//mlops", False),
        ("/Deployments/Shared/../mlops", False),
        ("/SharedModels/mlops", False),
    ],
)
def test_workspace_paths_are_normalized_before_their_root_is_matched(
    path: str, human_writable: bool
) -> None:
    assert under_human_writable_root(path) is human_writable


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_estates_one_workspace_conf_holds_only_reviewed_settings(stack: str) -> None:
    (conf,) = of_type(example_plan(stack), ":WorkspaceConf")
    assert set(conf.inputs["customConfig"]) <= set(REVIEWED_WORKSPACE_SETTINGS)
    assert f"{WORKSPACE_HARDENING}$" in conf.urn


def test_a_second_workspace_conf_is_found(project: Path) -> None:
    plan = with_extra_program(
        project,
        "uat",
        'databricks.WorkspaceConf("shadow", custom_config={"enforceWorkspaceViewAcls": "true",'
        ' "enableVerboseAuditLogs": "true", "enableTokensConfig": "false"}, opts=opts)\n',
    )
    assert {(v.policy, v.urn) for v in plan.violations} == {
        (
            "one-workspace-conf",
            "urn:pulumi:uat::mlops-estate::databricks:index/workspaceConf:WorkspaceConf::shadow",
        )
    }


def test_a_connection_secret_is_found_though_the_plan_records_it_sealed(project: Path) -> None:
    """pulumi_databricks.Connection wraps `options` in `pulumi.Output.secret`."""
    plan = with_extra_program(
        project,
        "uat",
        'databricks.Connection("snowflake", name="sf", connection_type="SNOWFLAKE", '
        'options={"host": "h", "pem_private_key": "k"}, owner="ml-platform-admins", opts=opts)\n',
    )
    assert {(v.policy, v.urn) for v in plan.violations} == {
        (
            "no-long-lived-secrets",
            "urn:pulumi:uat::mlops-estate::databricks:index/connection:Connection::snowflake",
        )
    }
