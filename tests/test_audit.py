"""`estate audit` of a deployed estate, through databricks-sdk, against the local server that
answers as the real Databricks REST API does (tests/support/fake_databricks.py): the
platform's implicit entries, inheritance and paging included."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.azure_network import AzureNetwork
from support.fake_databricks import READ_ONLY, READ_WRITE, Fault
from support.live_estate import (
    LiveEstate,
    deployed,
    drift,
    isolate_network,
    notes,
    outputs_of,
    stack_of,
    verdict,
)

from mlops_estate.commands.exit_codes import ExitCode

UAT_WORKSPACE, PROD_WORKSPACE = "5745814255335704", "6294946286041810"
ELSEWHERE = "1111111111111111"


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveEstate]:
    """Both stacks freshly deployed, with nothing changed by hand."""
    yield from deployed(tmp_path, monkeypatch)


# -- a clean estate: no false drift ------------------------------------------------------


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_a_freshly_deployed_stack_audits_clean(estate: LiveEstate, stack: str) -> None:
    code, document, _ = estate.audit(stack)
    assert code == ExitCode.CLEAN, stack_of(document, stack)
    audited = stack_of(document, stack)
    assert audited["drift"] == [] and audited["unreadable"] == []
    assert verdict(document, stack, "catalog-isolated") == "pass"
    assert verdict(document, stack, "workspace-hardened") == "not checked"


def test_both_stacks_audit_clean_together(estate: LiveEstate) -> None:
    code, document, _ = estate.audit("uat", "prod")
    assert code == ExitCode.CLEAN, document
    assert [s["stack"] for s in document["stacks"]] == ["uat", "prod"]
    assert (
        "bindings of catalog mlops_uat",
        f"workspace {PROD_WORKSPACE} {READ_ONLY}: declared by the prod stack, as this stack "
        "expects",
    ) in notes(document, "uat", "cross_stack")
    promotion = " ".join(n["detail"] for n in document["promotion"])
    assert "ml-prod-model-promoters" in promotion and "(deployer)" in promotion


def test_the_admins_groups_entries_are_implicit_out_of_the_verdict(estate: LiveEstate) -> None:
    """admins holds CAN_MANAGE on the model registry root (direct, not removable) and on every
    folder (inherited from the root): listed as implicit, not drift."""
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.CLEAN
    implicit = notes(document, "prod", "implicit")
    assert ("workspace model registry", "group admins: CAN_MANAGE") in implicit
    assert (
        "folder /Deployments/mlops",
        "group admins: CAN_MANAGE (inherited from /directories/)",
    ) in implicit
    assert ("platform catalog", "system (SYSTEM_CATALOG)") in implicit


def test_the_runner_is_a_declared_principal_shown_by_its_role(estate: LiveEstate) -> None:
    runner = estate.outputs["prod"]["principals"]["runner"]["name"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.CLEAN
    assert ("workspace admins", f"service principal {runner} (runner)") in notes(
        document, "prod", "exposure"
    )
    # The provider writes the runner into the registry's list; another manager is drift.
    estate.workspaces["prod"].acls[("registered-models", "root")][
        ("service_principal_name", "5b1e0c44-5f1a-4c1e-9d7e-0a7b4c2d9e11")
    ] = "CAN_MANAGE"
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "workspace model registry",
            "service principal 5b1e0c44-5f1a-4c1e-9d7e-0a7b4c2d9e11: CAN_MANAGE",
        )
    ]


def test_token_permissions_that_do_not_exist_are_the_declared_state(estate: LiveEstate) -> None:
    """With tokens off, the token permissions read answers RESOURCE_DOES_NOT_EXIST: declared."""
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.CLEAN
    workspace = estate.workspaces["uat"]
    workspace.conf["enableTokensConfig"] = "true"
    workspace.tokens.append(
        {
            "token_id": "a1b2",
            "owner_id": 123,
            "created_by_username": "ana@contoso.com",
            "expiry_time": 0,
        }
    )
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.VIOLATION
    assert set(drift(document, "uat")) == {
        ("differs", "workspace settings", "enableTokensConfig is true, declared false"),
        ("live, not declared", "personal access tokens", "token a1b2 of ana@contoso.com"),
    }
    assert verdict(document, "uat", "workspace-conf-hardened") == "fail"
    assert ("token permissions", "group admins: CAN_MANAGE") in notes(document, "uat", "implicit")


# -- nothing hidden ----------------------------------------------------------------------


def test_an_inherited_can_manage_on_a_locked_folder_is_caught(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    parent = str(workspace.directories["/Deployments"])
    workspace.acls[("directories", parent)] = {("group_name", "ml-engineers"): "CAN_MANAGE"}
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "differs",
            "folder /Deployments/mlops",
            "group ml-engineers (ml_engineers): declared CAN_RUN, live CAN_MANAGE (inherited "
            f"from /directories/{parent})",
        )
    ]
    assert verdict(document, "prod", "deployment-folder-locked") == "fail"


def test_an_inherited_entry_within_the_declared_level_is_not_drift(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    parent = str(workspace.directories["/Deployments"])
    workspace.acls[("directories", parent)] = {("group_name", "ml-engineers"): "CAN_READ"}
    assert estate.audit("prod")[0] == ExitCode.CLEAN
    workspace.acls[("directories", parent)] = {("group_name", "users"): "CAN_READ"}
    _, document, _ = estate.audit("prod")
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "folder /Deployments/mlops",
            f"group users: CAN_READ (inherited from /directories/{parent})",
        )
    ]


def test_a_human_with_can_manage_on_the_deployment_folder(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    folder = str(workspace.directories["/Deployments/mlops"])
    workspace.acls[("directories", folder)][("group_name", "ml-engineers")] = "CAN_MANAGE"
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert (
        "differs",
        "folder /Deployments/mlops",
        "group ml-engineers (ml_engineers): declared CAN_RUN, live CAN_MANAGE",
    ) in drift(document, "prod")
    assert verdict(document, "prod", "deployment-folder-locked") == "fail"


@pytest.mark.parametrize(
    ("isolation", "binding", "caught"),
    [
        ("ISOLATED", READ_WRITE, True),
        ("OPEN", None, True),
        ("ISOLATED", READ_ONLY, False),
        ("ISOLATED", None, False),
    ],
    ids=["bound-read-write", "open", "bound-read-only", "not-bound"],
)
def test_an_undeclared_catalog_reaching_the_workspace(
    estate: LiveEstate, isolation: str, binding: str | None, caught: bool
) -> None:
    estate.metastore.add_catalog("shadow", "ana@contoso.com", isolation)
    if binding:
        estate.metastore.bind("catalog", "shadow", UAT_WORKSPACE, binding)
    code, document, _ = estate.audit("uat")
    if caught:
        assert code == ExitCode.VIOLATION
        assert [d[:2] for d in drift(document, "uat")] == [
            ("live, not declared", "bindings of catalog shadow")
        ]
    else:
        assert code == ExitCode.CLEAN, drift(document, "uat")
    reaching = ("catalogs reaching this workspace", f"shadow: {binding or READ_WRITE}")
    assert (reaching in notes(document, "uat", "exposure")) == (
        binding is not None or isolation == "OPEN"
    )


def test_an_undeclared_storage_credential_bound_read_write_is_caught(estate: LiveEstate) -> None:
    estate.metastore.storage_credentials["side_door"] = {
        "name": "side_door",
        "owner": "ana@contoso.com",
        "isolation_mode": "ISOLATION_MODE_ISOLATED",
    }
    estate.metastore.bind("storage_credential", "side_door", PROD_WORKSPACE, READ_WRITE)
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "bindings of storage_credential side_door",
            f"workspace {PROD_WORKSPACE} {READ_WRITE}",
        )
    ]


def test_a_new_workspace_admin_is_caught(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    workspace.groups["admins"].members.append(
        {"value": "771", "display": "Ana Lopez", "$ref": "Users/771"}
    )
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        ("live, not declared", "workspace admins (members of admins)", "Ana Lopez (Users/771)")
    ]


def test_an_admin_assignment_is_caught(estate: LiveEstate) -> None:
    estate.workspaces["uat"].assign("user_name", "ana@contoso.com", "ADMIN")
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.VIOLATION
    assert drift(document, "uat") == [
        ("live, not declared", "workspace assignments", "user ana@contoso.com: ADMIN")
    ]
    assert ("workspace admins", "user ana@contoso.com (assigned ADMIN)") in notes(
        document, "uat", "exposure"
    )


def test_the_users_group_entitled_beyond_consumer_access_is_caught(estate: LiveEstate) -> None:
    estate.workspaces["prod"].groups["users"].entitlements.add("allow-cluster-create")
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert (
        "differs",
        "entitlements of group users",
        "live allow-cluster-create, workspace-consume; declared workspace-consume",
    ) in drift(document, "prod")
    assert verdict(document, "prod", "prod-humans-no-cluster-create") == "fail"


def test_cluster_creation_for_a_persona_in_prod(estate: LiveEstate) -> None:
    estate.workspaces["prod"].groups["ml-data-scientists"].entitlements.add("allow-cluster-create")
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert (
        drift(document, "prod")[0][1]
        == "entitlements of group ml-data-scientists (with the users group's)"
    )
    assert verdict(document, "prod", "prod-humans-no-cluster-create") == "fail"


def test_a_service_principal_secret_that_exists_is_caught(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    deployer = estate.outputs["prod"]["deployer"]["application_id"]
    workspace.secrets[workspace.service_principals[deployer].id] = ["s-1"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "service principal secrets",
            f"service principal {deployer} (deployer): 1 OAuth secret(s) (s-1)",
        )
    ]


def test_who_may_use_personal_compute_in_prod(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    workspace.acls[("cluster-policies", "001F8C2D3E4A5B6C")][("group_name", "users")] = "CAN_USE"
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        ("live, not declared", "the Personal Compute policy", "group users: CAN_USE")
    ]
    assert verdict(document, "prod", "prod-no-human-cluster-policy") == "fail"
    assert ("may use Personal Compute in Prod", "group users: CAN_USE") in notes(
        document, "prod", "exposure"
    )


def test_personal_compute_on_for_the_account_is_caught_in_prod(estate: LiveEstate) -> None:
    estate.workspaces["prod"].personal_compute = "ON"
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "differs",
            "the account's Personal Compute setting",
            "ON in this workspace, declared DELEGATE",
        )
    ]
    assert (
        "may use Personal Compute in Prod",
        "every user of the workspace (the setting is ON)",
    ) in notes(document, "prod", "exposure")


# -- grants, effective and direct --------------------------------------------------------


def test_a_hand_made_grant_is_drift_and_a_violation(estate: LiveEstate) -> None:
    estate.metastore.grants[("schema", "mlops_prod.churn_models")]["ml-engineers"] += ["MODIFY"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "grants on schema mlops_prod.churn_models",
            "ml-engineers (ml_engineers): MODIFY",
        )
    ]
    assert verdict(document, "prod", "governed-read-execute-only") == "fail"


def test_privileges_inherited_from_the_catalog_beyond_the_matrix_are_drift(
    estate: LiveEstate,
) -> None:
    estate.metastore.grants[("catalog", "mlops_prod")]["ml-auditors"] += ["MODIFY"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    found = drift(document, "prod")
    assert (
        "live, not declared",
        "grants on catalog mlops_prod",
        "ml-auditors (auditors): MODIFY",
    ) in found
    # Auditors hold nothing on the schemas themselves: the catalog's MODIFY reaches them all.
    schemas = [
        w
        for _, w, d in found
        if d == "ml-auditors (auditors): MODIFY (inherited from CATALOG mlops_prod)"
    ]
    owned = estate.outputs["prod"]["owners"]
    assert len(schemas) == sum(
        1
        for row in owned
        if row["securable_type"] == "schema" and row["securable"].startswith("mlops_prod.")
    )
    assert verdict(document, "prod", "governed-read-execute-only") == "fail"


def test_grants_are_read_across_every_page(estate: LiveEstate) -> None:
    """One principal per page, each answer led by an empty page with a next_page_token: the
    audit follows them all (the SDK does not page effective permissions in 0.162)."""
    estate.metastore.page_size = 1
    assert estate.audit("uat")[0] == ExitCode.CLEAN
    grants = estate.metastore.grants[("schema", "mlops_uat.churn_models")]
    grants["zz-last-page-group"] = ["SELECT"]
    _, document, _ = estate.audit("uat")
    assert drift(document, "uat") == [
        (
            "live, not declared",
            "grants on schema mlops_uat.churn_models",
            "zz-last-page-group: SELECT",
        )
    ]


def test_a_removed_binding_is_drift_and_a_violation(estate: LiveEstate) -> None:
    estate.metastore.bindings[("catalog", "mlops_dev")] = []
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.VIOLATION
    assert drift(document, "uat") == [
        (
            "declared, not live",
            "bindings of catalog mlops_dev",
            f"workspace {UAT_WORKSPACE} {READ_WRITE}",
        )
    ]
    assert verdict(document, "uat", "catalog-bound-to-own-workspace") == "fail"


def test_an_open_catalog_is_drift_and_a_violation(estate: LiveEstate) -> None:
    estate.metastore.catalogs["mlops_dev"]["isolation_mode"] = "OPEN"
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.VIOLATION
    assert drift(document, "uat") == [
        ("differs", "catalog mlops_dev", "isolation mode OPEN, declared ISOLATED")
    ]
    assert verdict(document, "uat", "catalog-isolated") == "fail"


def test_a_deleted_schema_is_drift_not_a_gap(estate: LiveEstate) -> None:
    del estate.metastore.schemas["mlops_prod.churn_features"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        ("declared, not live", "schema mlops_prod.churn_features", "does not exist")
    ]
    assert stack_of(document, "prod")["unreadable"] == []


# -- the promotion path between the stacks -----------------------------------------------


def test_uat_alone_takes_one_read_only_binding_for_prods_and_says_so(estate: LiveEstate) -> None:
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.CLEAN
    [(what, detail)] = notes(document, "uat", "cross_stack")
    assert what == "bindings of catalog mlops_uat"
    assert detail.startswith(
        f"workspace {PROD_WORKSPACE} {READ_ONLY}: taken for the prod stack's promotion binding"
    )


def test_uat_alone_takes_no_second_binding_for_prods(estate: LiveEstate) -> None:
    estate.metastore.bind("catalog", "mlops_uat", ELSEWHERE, READ_ONLY)
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.VIOLATION
    assert {d[2] for d in drift(document, "uat")} == {
        f"workspace {ELSEWHERE} {READ_ONLY}",
        f"workspace {PROD_WORKSPACE} {READ_ONLY}",
    }


def test_both_stacks_know_which_workspace_prod_binds(estate: LiveEstate) -> None:
    estate.metastore.bindings[("catalog", "mlops_uat")] = [
        b
        for b in estate.metastore.bindings[("catalog", "mlops_uat")]
        if str(b["workspace_id"]) != PROD_WORKSPACE
    ]
    estate.metastore.bind("catalog", "mlops_uat", ELSEWHERE, READ_ONLY)
    code, document, _ = estate.audit("uat", "prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "uat") == [
        (
            "live, not declared",
            "bindings of catalog mlops_uat",
            f"workspace {ELSEWHERE} {READ_ONLY}",
        )
    ]
    assert drift(document, "prod") == [
        (
            "declared, not live",
            "bindings of catalog mlops_uat",
            f"workspace {PROD_WORKSPACE} {READ_ONLY}",
        )
    ]


def test_uat_bindings_of_the_promotion_source_are_not_prods_business(estate: LiveEstate) -> None:
    estate.metastore.bind("catalog", "mlops_uat", ELSEWHERE, READ_WRITE)
    assert estate.audit("prod")[0] == ExitCode.CLEAN
    assert estate.audit("uat")[0] == ExitCode.VIOLATION


def test_nothing_of_prod_is_bound_into_uat(estate: LiveEstate) -> None:
    """Read-only reach of another stack's catalog is drift when that stack is known."""
    estate.metastore.bind("catalog", "mlops_prod", UAT_WORKSPACE, READ_ONLY)
    _, document, _ = estate.audit("uat", "prod")
    assert (
        "live, not declared",
        "bindings of catalog mlops_prod",
        f"workspace {UAT_WORKSPACE} {READ_ONLY}",
    ) in drift(document, "uat")
    assert (
        "live, not declared",
        "bindings of catalog mlops_prod",
        f"workspace {UAT_WORKSPACE} {READ_ONLY}",
    ) in drift(document, "prod")


# -- failing closed ----------------------------------------------------------------------


# A short timeout only where the fault needs it: 429 is retried until the retry timeout; the
# slow answer takes 30 s, far beyond the 5 s HTTP timeout, which a healthy read meets easily.
@pytest.mark.parametrize(
    ("fault", "words", "options"),
    [
        (Fault("/unity-catalog/catalogs", status=403), "needs a metastore admin", ()),
        (Fault("/token-management/tokens", status=403), "needs a workspace admin", ()),
        (Fault("/workspace/get-status", status=404), "NOT_FOUND", ()),
        (
            Fault("/unity-catalog/effective-permissions/", status=429),
            "Timed out",
            ("--retry-timeout", "2"),
        ),
        (Fault("/unity-catalog/bindings/", status=500), "INTERNAL_ERROR", ()),
        (Fault("/scim/v2/Groups", status=403), "SCIM_403", ()),
        (
            Fault("/workspace-conf", delay=30.0),
            "Timed out",
            ("--retry-timeout", "1", "--http-timeout", "5"),
        ),
    ],
    ids=["403-listing", "403-admin-only", "404", "429", "500", "403-scim", "slow"],
)
def test_what_cannot_be_read_fails_closed(
    estate: LiveEstate, fault: Fault, words: str, options: tuple[str, ...]
) -> None:
    estate.workspaces["uat"].faults.append(fault)
    code, document, _ = estate.audit("uat", options=options)
    assert code == ExitCode.INVALID
    audited = stack_of(document, "uat")
    assert audited["unreadable"] and all(words in u for u in audited["unreadable"])
    assert document["status"].startswith("INCOMPLETE")
    assert "pass" not in {v["verdict"] for v in audited["verdicts"]}


def test_a_redirect_to_another_host_is_not_followed(estate: LiveEstate) -> None:
    """requests drops only Authorization on a redirect to another host; the audit follows
    none, so the SDK's other headers never leave the checked workspace."""
    prod = estate.urls["prod"]
    estate.workspaces["uat"].faults.append(
        Fault("/workspace-conf", status=307, location=f"{prod}/api/2.0/workspace-conf")
    )
    before = estate.workspaces["prod"].calls
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.INVALID
    assert any(
        "workspace-conf" in u or "Exceeded" in u for u in stack_of(document, "uat")["unreadable"]
    )
    assert estate.workspaces["prod"].calls == before


def test_one_stack_that_cannot_be_read_makes_the_estate_incomplete(estate: LiveEstate) -> None:
    estate.workspaces["prod"].faults.append(Fault("/preview/permissionassignments", status=403))
    code, document, _ = estate.audit("uat", "prod")
    assert code == ExitCode.INVALID
    assert stack_of(document, "uat")["exit_code"] == ExitCode.CLEAN


def test_calls_grow_linearly_with_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_with: Callable
) -> None:
    network = AzureNetwork(tmp_path)
    isolate_network(network, monkeypatch, tmp_path)
    calls = []
    for projects in (1, 2, 4):
        plan = plan_with(
            "uat", lambda e, n=projects: e.update(projects=[{"name": f"p{i}"} for i in range(n)])
        )
        folder = tmp_path / str(projects)
        folder.mkdir()
        estate = LiveEstate.deploy(network, folder, {"uat": json.loads(json.dumps(plan.outputs))})
        code, document, _ = estate.audit("uat")
        assert code == ExitCode.CLEAN, drift(document, "uat")
        calls.append(estate.calls())
    network.close()
    # Each project adds two schemas, each read once for its effective grants (same pages).
    assert calls[2] - calls[1] == 2 * (calls[1] - calls[0]) > 0


# -- every declared fact, changed by hand, is drift ----------------------------------------

DEPLOYER = "99565829-dfc0-5591-8639-9d7e4a0f5958"


def _policy_gone(estate: LiveEstate) -> None:
    del estate.workspaces["prod"].policies["001F8C2D3E4A5B6C"]


def _repo_at_the_folder(estate: LiveEstate) -> None:
    estate.workspaces["prod"].object_types["/Deployments/mlops"] = "REPO"


def _level_the_sdk_does_not_know(estate: LiveEstate) -> None:
    workspace = estate.workspaces["prod"]
    folder = str(workspace.directories["/Deployments/mlops"])
    workspace.acls[("directories", folder)][("group_name", "ml-engineers")] = "CAN_SUPERVISE"


def _privilege_the_sdk_does_not_know(estate: LiveEstate) -> None:
    estate.metastore.grants[("schema", "mlops_prod.churn_models")]["ml-engineers"] += ["FUTURE"]


def _persona_group_gone(estate: LiveEstate) -> None:
    del estate.workspaces["prod"].groups["ml-auditors"]


def _deployer_gone(estate: LiveEstate) -> None:
    del estate.workspaces["prod"].service_principals[DEPLOYER]


def _assignment_gone(estate: LiveEstate) -> None:
    estate.workspaces["prod"].assignments = [
        a
        for a in estate.workspaces["prod"].assignments
        if a["principal"].get("group_name") != "ml-auditors"
    ]


def _schema_owner(estate: LiveEstate) -> None:
    estate.metastore.schemas["mlops_prod.churn_models"]["owner"] = "ana@contoso.com"


def _catalog_owner(estate: LiveEstate) -> None:
    estate.metastore.catalogs["mlops_prod"]["owner"] = "ml-engineers"


def _location_gone(estate: LiveEstate) -> None:
    del estate.metastore.external_locations["prod_catalog_root"]


BREAKS: dict[str, tuple[Callable[[LiveEstate], None], list[tuple[str, str, str]]]] = {
    "personal-compute-policy-gone": (
        _policy_gone,
        [
            (
                "declared, not live",
                "the Personal Compute policy",
                "service principal 66666666-6666-4666-8666-666666666662 (runner): CAN_USE",
            )
        ],
    ),
    "repo-at-the-folder": (
        _repo_at_the_folder,
        [("differs", "folder /Deployments/mlops", "a REPO, declared a directory")],
    ),
    "unknown-permission-level": (
        _level_the_sdk_does_not_know,
        [
            (
                "differs",
                "folder /Deployments/mlops",
                "group ml-engineers (ml_engineers): declared CAN_RUN, live UNKNOWN",
            )
        ],
    ),
    "unknown-privilege": (
        _privilege_the_sdk_does_not_know,
        [
            (
                "live, not declared",
                "grants on schema mlops_prod.churn_models",
                "ml-engineers (ml_engineers): UNKNOWN",
            )
        ],
    ),
    "persona-group-gone": (
        _persona_group_gone,
        [("declared, not live", "group ml-auditors", "not in the workspace")],
    ),
    "deployer-gone": (
        _deployer_gone,
        [
            (
                "declared, not live",
                f"service principal {DEPLOYER} (deployer)",
                "not in the workspace",
            )
        ],
    ),
    "assignment-gone": (
        _assignment_gone,
        [("declared, not live", "workspace assignments", "group ml-auditors (auditors): USER")],
    ),
    "schema-owner": (
        _schema_owner,
        [
            (
                "differs",
                "schema mlops_prod.churn_models",
                "owner ana@contoso.com, declared 66666666-6666-4666-8666-666666666662 (runner)",
            )
        ],
    ),
    "catalog-owner": (
        _catalog_owner,
        [
            (
                "differs",
                "catalog mlops_prod",
                "owner ml-engineers, declared 66666666-6666-4666-8666-666666666662 (runner)",
            )
        ],
    ),
    "external-location-gone": (
        _location_gone,
        [("declared, not live", "external_location prod_catalog_root", "not in the metastore")],
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_declared_fact_changed_by_hand_is_drift(estate: LiveEstate, case: str) -> None:
    change, expected = BREAKS[case]
    change(estate)
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION, stack_of(document, "prod")["unreadable"]
    assert drift(document, "prod") == expected


def _with_tokens(outputs: dict, managed: bool) -> dict:
    """Outputs of a stack whose config turns tokens on (and manages who may use them)."""
    settings = outputs["workspace_settings"]
    settings["tokens"].update(enabled=True, manage_permissions=managed)
    settings["workspace_conf"]["enableTokensConfig"] = "true"
    settings["token_usage"] = (
        [{"role": "deployer", "permission_level": "CAN_USE"}] if managed else []
    )
    return outputs


@pytest.mark.parametrize("managed", [True, False], ids=["managed", "not-managed"])
def test_tokens_turned_on_by_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, managed: bool
) -> None:
    network = AzureNetwork(tmp_path)
    isolate_network(network, monkeypatch, tmp_path)
    estate = LiveEstate.deploy(network, tmp_path, {"uat": _with_tokens(outputs_of("uat"), managed)})
    workspace = estate.workspaces["uat"]
    deployer = workspace.service_principals[estate.outputs["uat"]["deployer"]["application_id"]]
    # No token yet: the token permissions do not exist.
    code, document, _ = estate.audit("uat")
    expected = [
        (
            "declared, not live",
            "token permissions",
            "service principal 0f3f0f31-2b08-5323-bad6-c08993bc5724 (deployer): CAN_USE",
        )
    ]
    assert drift(document, "uat") == (expected if managed else [])
    # The deployer's token, and the list as the estate sets it (or as Databricks leaves it).
    workspace.tokens.append(
        {"token_id": "d1", "owner_id": int(deployer.id), "created_by_username": "deployer"}
    )
    workspace.acls[("authorization", "tokens")] = (
        {("service_principal_name", estate.outputs["uat"]["deployer"]["application_id"]): "CAN_USE"}
        if managed
        else {("group_name", "users"): "CAN_USE"}
    )
    code, document, _ = estate.audit("uat")
    assert code == ExitCode.CLEAN, drift(document, "uat")
    assert ("personal access tokens", "token d1 of deployer") in notes(document, "uat", "exposure")
    # A human's token is drift either way.
    workspace.tokens.append(
        {"token_id": "h1", "owner_id": 5, "created_by_username": "ana@contoso.com"}
    )
    code, document, _ = estate.audit("uat")
    assert drift(document, "uat") == [
        ("live, not declared", "personal access tokens", "token h1 of ana@contoso.com")
    ]
    network.close()


def test_two_declared_files_that_claim_one_workspace(estate: LiveEstate) -> None:
    """prod's file rewritten to name uat's workspace: each --host matches its file, but one
    workspace is not two stacks."""
    prod = estate.outputs["prod"]
    prod["workspace"].update(host=estate.urls["uat"], id=UAT_WORKSPACE)
    estate.declared("prod").write_text(json.dumps(prod))
    code, _, output = estate.audit("uat", "prod", hosts=[estate.urls["uat"], estate.urls["uat"]])
    assert code == ExitCode.INVALID and "a host repeats" in output
    assert estate.network.connects == []
