"""What a first real `pulumi up` needs, and the restrictions the estate declares, held by the
example plans and by the deploy-order rules.

Every fact here is one the Azure, Databricks or provider documentation states; each test
names where, so the next reader can check it.
"""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support.plans import REPO, add_to_program, example_config, example_plan, of_type, write_stack

from mlops_estate.commands.plan.runner import Plan, PlanFailure, run_plan
from mlops_estate.rules import Resource, Trust, evaluate
from mlops_estate.vocabulary.waits import PRINCIPALS_VISIBLE_SECONDS, duration_seconds

Edit = Callable[[list[Resource]], list[Resource]]


def _violations(plan: Plan, resources: list[Resource]) -> set[tuple[str, str]]:
    trust = Trust.from_raw_config(plan.stack, plan.config)
    found, _ = evaluate(resources, trust, plan.lookups, unknown_fails=True)
    return {(v.policy, v.urn) for v in found}


def _without_edge(resources: list[Resource], urn: str, dropped: set[str]) -> list[Resource]:
    """The resources, with `urn` no longer depending on any of `dropped`."""
    return [
        dataclasses.replace(r, dependencies=tuple(d for d in r.dependencies if d not in dropped))
        if r.urn == urn
        else r
        for r in resources
    ]


def _resources(plan: Plan) -> list[Resource]:
    return [r.as_resource() for r in plan.resources]


# --- Deploy order --------------------------------------------------------------------------


def test_a_workspace_assignment_before_the_metastore_is_caught() -> None:
    """ "Permission assignment APIs are not available for this workspace" until a metastore is
    assigned (terraform-provider-databricks#5282; Learn, "Enable a workspace for Unity
    Catalog": assigning the metastore enables identity federation)."""
    plan = example_plan("uat")
    (metastore,) = of_type(plan, ":MetastoreAssignment")
    assignment = of_type(plan, ":MwsPermissionAssignment")[0]
    resources = _without_edge(_resources(plan), assignment.urn, {metastore.urn})
    assert _violations(plan, resources) == {
        ("workspace-assignment-after-metastore", assignment.urn)
    }


def test_access_lists_and_entitlements_wait_for_the_principals() -> None:
    """ "Principal ... not in workspace ..." on about half of first runs even after the
    metastore assignment (terraform-provider-databricks#5367)."""
    plan = example_plan("prod")
    (visible,) = [s for s in of_type(plan, ":Sleep") if "principals-visible" in s.urn]
    folder_acl = next(p for p in of_type(plan, ":Permissions") if p.inputs.get("directoryPath"))
    entitlements = of_type(plan, ":Entitlements")[0]
    resources = _resources(plan)
    for urn in (folder_acl.urn, entitlements.urn):
        resources = _without_edge(resources, urn, {visible.urn})
    assert _violations(plan, resources) == {
        ("workspace-principals-visible", folder_acl.urn),
        ("workspace-principals-visible", entitlements.urn),
    }


def _naming(plan: Plan, principal: str) -> set[str]:
    """Entitlements and access lists that name `principal` (an id or an application id)."""
    return {
        r.urn
        for r in plan.resources
        if r.type.endswith((":Entitlements", ":Permissions")) and principal in repr(r.inputs)
    }


def test_a_wait_too_short_or_not_after_the_assignment_is_no_wait() -> None:
    plan = example_plan("uat")
    (visible,) = [s for s in of_type(plan, ":Sleep") if "principals-visible" in s.urn]
    assert duration_seconds(visible.inputs["createDuration"]) == PRINCIPALS_VISIBLE_SECONDS
    deployer = plan.outputs["deployer"]
    sp_id = next(
        a.inputs["principalId"]
        for a in of_type(plan, ":MwsPermissionAssignment")
        if "deployer" in a.urn
    )
    assigned = {a.inputs["principalId"] for a in of_type(plan, ":MwsPermissionAssignment")}
    group_names = {
        lookup.result["id"]: lookup.args["displayName"]
        for lookup in plan.lookups
        if lookup.result.get("id") in assigned
    }
    naming_assigned = set().union(
        _naming(plan, deployer["application_id"]),
        _naming(plan, sp_id),
        *(_naming(plan, gid) | _naming(plan, f"'{name}'") for gid, name in group_names.items()),
    )
    short = [
        dataclasses.replace(r, props={**r.props, "createDuration": "5s"})
        if r.urn == visible.urn
        else r
        for r in _resources(plan)
    ]
    assert _violations(plan, short) == {
        ("workspace-principals-visible", urn) for urn in naming_assigned
    }
    assignment = next(a for a in of_type(plan, ":MwsPermissionAssignment") if "deployer" in a.urn)
    early = _without_edge(_resources(plan), visible.urn, {assignment.urn})
    naming_deployer = _naming(plan, deployer["application_id"]) | _naming(plan, sp_id)
    assert naming_deployer and _violations(plan, early) == {
        ("workspace-principals-visible", urn) for urn in naming_deployer
    }


def test_the_external_location_waits_for_the_connector_s_role() -> None:
    """Unity Catalog validates the credential's access when it creates the location
    (pulumi_databricks.ExternalLocation `skip_validation`); "it can take up to 10 minutes"
    for a role assignment to take effect (Learn, Azure RBAC troubleshooting)."""
    plan = example_plan("uat")
    (propagated,) = [s for s in of_type(plan, ":Sleep") if "storage-access" in s.urn]
    (role,) = [r for r in of_type(plan, ":RoleAssignment") if "connector-blob" in r.name]
    (location,) = of_type(plan, ":ExternalLocation")
    assert role.urn in propagated.dependencies
    resources = _without_edge(_resources(plan), propagated.urn, {role.urn})
    assert _violations(plan, resources) == {
        ("external-location-after-storage-access", location.urn)
    }


@pytest.fixture(scope="module")
def three_subjects(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """UAT trusting three GitHub environments: three federated credentials on one identity."""
    project = tmp_path_factory.mktemp("project")
    for name in ("Pulumi.yaml", "Pulumi.uat.yaml"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "stacks", project / "stacks")
    estate = example_config("uat")
    estate["deployer"]["github"] = [
        {"repository": "contoso/ml-projects", "environment": name}
        for name in ("uat", "uat-preview", "uat-hotfix")
    ]
    write_stack(project, "uat", estate)
    return run_plan(project, "uat")


def test_federated_credentials_are_written_one_after_another(three_subjects: Plan) -> None:
    """ "Creating multiple federated identity credentials under the same user-assigned managed
    identity concurrently ... fail[s] with 409-conflict" (Learn, "Important considerations
    and restrictions for federated identity credentials")."""
    credentials = of_type(three_subjects, ":FederatedIdentityCredential")
    assert len(credentials) == 3
    assert all(
        earlier.urn in later.dependencies for earlier, later in itertools.pairwise(credentials)
    )
    resources = _without_edge(_resources(three_subjects), credentials[2].urn, {credentials[1].urn})
    # The third now races both others; each of a racing pair is named.
    assert _violations(three_subjects, resources) == {
        ("federated-credentials-one-at-a-time", c.urn) for c in credentials
    }


# --- Restrictions that must be real ---------------------------------------------------------


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_users_group_has_consumer_access_only(stack: str) -> None:
    """ "The users group is granted the Workspace access and Databricks SQL access
    entitlements by default"; "To provide the Consumer access experience, the users group must
    have only the Consumer access entitlement, or no entitlements" (Databricks, "Manage
    entitlements"); a USER assignment "adds principal to the workspace `users` group"
    (pulumi_databricks.MwsPermissionAssignment)."""
    plan = example_plan(stack)
    users_ids = {
        lookup.result["id"]
        for lookup in plan.lookups
        if lookup.token.endswith("getGroup") and lookup.args.get("displayName") == "users"
    }
    (users,) = [e for e in of_type(plan, ":Entitlements") if e.inputs.get("groupId") in users_ids]
    assert {k: v for k, v in users.inputs.items() if k != "groupId"} == {"workspaceConsume": True}
    (workspace,) = of_type(plan, "databricks:Workspace")
    unmanaged = [r for r in _resources(plan) if r.urn != users.urn]
    assert _violations(plan, unmanaged) == {
        ("entitlements-only-for-assigned-principals", workspace.urn)
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_entitlements_send_only_what_they_grant(stack: str) -> None:
    """The provider refuses workspace_consume beside workspace_access or databricks_sql_access
    even when false (terraform-provider-databricks scim/scim.go ConflictsWith;
    databricks/terraform-provider-databricks#5138): every Entitlements sends only true keys."""
    for entitlements in of_type(example_plan(stack), ":Entitlements"):
        granted = {k: v for k, v in entitlements.inputs.items() if not k.endswith("Id")}
        assert granted and set(granted.values()) == {True}, entitlements.urn


def test_a_plan_fails_where_the_provider_refuses_conflicting_entitlements(
    project: Path,
) -> None:
    add_to_program(
        project,
        'databricks.Entitlements("both", group_id="41", workspace_access=True, '
        "workspace_consume=False, opts=opts)\n",
    )
    with pytest.raises(PlanFailure, match='"workspaceConsume": conflicts with workspaceAccess'):
        run_plan(project, "uat")


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_deployer_creates_compute_only_through_its_policy(stack: str) -> None:
    """`allow_cluster_create` lets a principal "create unrestricted clusters" (Learn, "Manage
    entitlements"), outside the job-only policy the deployer holds CAN_USE on."""
    plan = example_plan(stack)
    (deployer,) = [e for e in of_type(plan, ":Entitlements") if e.inputs.get("servicePrincipalId")]
    assert {k: v for k, v in deployer.inputs.items() if k != "servicePrincipalId"} == {
        "workspaceAccess": True
    }
    policy_acl = next(
        p
        for p in of_type(plan, ":Permissions")
        if p.inputs.get("clusterPolicyId") and "deployer-jobs" in p.urn
    )
    assert [c["permissionLevel"] for c in policy_acl.inputs["accessControls"]] == ["CAN_USE"]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_personal_access_tokens_are_off_and_unmanaged_by_default(stack: str) -> None:
    """Token permissions fail on a workspace without a token: "It is required to have at
    least 1 personal access token in the workspace before you can manage tokens permissions"
    (pulumi_databricks.Permissions)."""
    plan = example_plan(stack)
    (conf,) = of_type(plan, ":WorkspaceConf")
    assert conf.inputs["customConfig"]["enableTokensConfig"] == "false"
    assert [p for p in of_type(plan, ":Permissions") if p.inputs.get("authorization")] == []


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_workspace_settings_outlive_the_resource_and_prod_s_cannot_be_deleted(stack: str) -> None:
    """ "Upon resource deletion, properties that start with `enable` or `enforce` will be reset
    to `false`" (pulumi_databricks.WorkspaceConf)."""
    (conf,) = of_type(example_plan(stack), ":WorkspaceConf")
    assert conf.retain_on_delete is True
    assert conf.protect is (stack == "prod")


def test_prod_keeps_its_container_connector_and_deployer_identity() -> None:
    plan = example_plan("prod")
    kept = [
        *of_type(plan, ":BlobContainer"),
        *[
            c
            for c in of_type(plan, ":AccessConnector")
            if c.inputs["connectorName"] == "ac-mlops-prod"
        ],
        *of_type(plan, ":UserAssignedIdentity"),
    ]
    assert [(r.type.rsplit(":", 1)[1], r.protect, r.retain_on_delete) for r in kept] == [
        ("BlobContainer", True, True),
        ("AccessConnector", True, True),
        ("UserAssignedIdentity", True, True),
    ]
    (identity,) = of_type(plan, ":UserAssignedIdentity")
    assert identity.inputs["tags"] == {
        "cost-centre": "ml-platform",
        "environment": "prod",
        "managed-by": "mlops-estate",
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_no_browse_on_schemas_and_the_runner_owns_what_it_declares(stack: str) -> None:
    """BROWSE is documented for catalogs only (databrickslabs/ucx#2022). A metastore admin
    that does not own a schema may change "only the owner field" (databricks-sdk
    SchemasAPI.update): the runner keeps ownership, the deployer writes through grants."""
    plan = example_plan(stack)
    runner = example_config(stack)["platform"]["runner"]["application_id"]
    for grants in of_type(plan, ":Grants"):
        if grants.inputs.get("schema"):
            assert all("BROWSE" not in g["privileges"] for g in grants.inputs["grants"])
    owned = [
        r
        for r in plan.resources
        if r.type.endswith((":Catalog", ":Schema", ":StorageCredential", ":ExternalLocation"))
    ]
    assert owned and {r.inputs["owner"] for r in owned} == {runner}


def test_prod_says_so_while_personal_compute_is_on() -> None:
    """ON "grants all users in all workspaces access to the Personal Compute default policy"
    (databricks-sdk settings.PersonalComputeMessageEnum)."""
    plan = example_plan("prod")
    trust = Trust.from_raw_config(
        "prod",
        {**plan.config, "databricks": {**plan.config["databricks"], "personal_compute": "ON"}},
    )
    (workspace,) = of_type(plan, "databricks:Workspace")
    found, _ = evaluate(_resources(plan), trust, plan.lookups, unknown_fails=True)
    assert [(v.policy, v.enforcement, v.urn) for v in found] == [
        ("personal-compute-delegated", "advisory", workspace.urn)
    ]


@pytest.mark.parametrize(
    ("stack", "users"),
    [
        ("uat", lambda config: [config["personas"]["data_scientists"]]),
        ("prod", lambda config: [config["platform"]["runner"]["application_id"]]),
    ],
)
def test_each_workspace_governs_the_builtin_personal_compute_policy_when_delegated(
    stack: str, users: Callable[[dict], list[str]]
) -> None:
    """DELEGATE "moves access control for the Personal Compute default policy to individual
    workspaces and requires a workspace's users or groups to be added to the ACLs"
    (databricks-sdk settings.PersonalComputeMessageEnum): data scientists in UAT, nobody but
    the platform runner in Prod."""
    plan = example_plan(stack)
    (lookup,) = [lookup for lookup in plan.lookups if lookup.token.endswith("getClusterPolicy")]
    assert lookup.args == {"name": "Personal Compute"}
    (acl,) = [
        p
        for p in of_type(plan, ":Permissions")
        if p.inputs.get("clusterPolicyId") == lookup.result["id"]
    ]
    holders = [
        c.get("groupName") or c.get("servicePrincipalName") for c in acl.inputs["accessControls"]
    ]
    assert holders == users(example_config(stack))
    assert {c["permissionLevel"] for c in acl.inputs["accessControls"]} == {"CAN_USE"}


def test_the_builtin_policy_is_left_alone_while_personal_compute_is_on(
    plan_with: Callable[..., Plan],
) -> None:
    plan = plan_with("uat", lambda estate: estate["databricks"].update(personal_compute="ON"))
    assert not [lookup for lookup in plan.lookups if lookup.token.endswith("getClusterPolicy")]
