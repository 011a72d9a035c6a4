"""Unity Catalog invariants of the example estate, each with a plan that breaks it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.plans import example_config, example_plan, of_type, violations_of, with_extra_program

from mlops_estate.commands.plan.runner import Plan, PlanFailure
from mlops_estate.config import ConfigError
from mlops_estate.vocabulary.unity_catalog import catalog_storage_names

PROJECTS = ["churn", "demand_forecast", "fraud_detection"]
URN = "urn:pulumi:{stack}::mlops-estate::databricks:index/{type}::{name}"


def hand_written(stack: str, type_: str, name: str) -> str:
    """The URN of a resource the test's program registers at the stack's root."""
    return URN.format(stack=stack, type=type_, name=name)


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_every_catalog_is_isolated_and_bound_to_its_own_workspace(stack: str) -> None:
    plan = example_plan(stack)
    own = plan.outputs["workspace"]["id"]
    catalogs = of_type(plan, ":Catalog")
    assert {c.inputs["isolationMode"] for c in catalogs} == {"ISOLATED"}
    read_write = {
        (b.inputs["securableName"], b.inputs["workspaceId"])
        for b in of_type(plan, ":WorkspaceBinding")
        if b.inputs["bindingType"] == "BINDING_TYPE_READ_WRITE"
        and b.inputs["securableType"] == "catalog"
    }
    assert read_write == {(c.inputs["name"], own) for c in catalogs}
    assert plan.violations == []


def test_an_open_catalog_is_a_violation(project: Path) -> None:
    plan = with_extra_program(
        project,
        "uat",
        'databricks.Catalog("open", name="open_cat", isolation_mode="OPEN", '
        'owner="ml-platform-admins", opts=opts)\n',
    )
    open_catalog = hand_written("uat", "catalog:Catalog", "open")
    assert violations_of(plan) == {
        ("catalog-isolated", open_catalog),
        ("catalog-bound-to-own-workspace", open_catalog),
    }


def test_a_read_write_binding_elsewhere_is_a_violation(project: Path) -> None:
    plan = with_extra_program(
        project,
        "uat",
        'databricks.WorkspaceBinding("leak", securable_name="mlops_uat", workspace_id="42", '
        "opts=opts)\n",
    )
    governed = (
        "urn:pulumi:uat::mlops-estate::mlops-estate:estate:Environment$"
        "mlops-estate:unitycatalog:GovernedCatalog$databricks:index/catalog:Catalog::"
        "uat-governed-catalog"
    )
    leak = hand_written("uat", "workspaceBinding:WorkspaceBinding", "leak")
    assert violations_of(plan) == {
        ("catalog-bound-to-own-workspace", governed),
        ("cross-environment-read-only", leak),
    }


def test_development_catalog_only_in_uat() -> None:
    uat, prod = example_plan("uat"), example_plan("prod")
    assert uat.outputs["catalogs"]["development"] == "mlops_dev"
    assert "development" not in prod.outputs["catalogs"]
    assert {r.inputs["name"] for r in of_type(prod, ":Catalog")} == {
        "mlops_prod",
        "mlops_prod_evidence",
    }


def test_development_catalog_in_prod_is_rejected(plan_with: Callable[..., Plan]) -> None:
    with pytest.raises(PlanFailure, match=r"catalogs\.development"):
        plan_with("prod", lambda e: e["catalogs"].update(development="mlops_dev"))


def test_development_schema_lets_data_scientists_write_and_grant() -> None:
    plan = example_plan("uat")
    grants = {
        r.inputs["schema"]: r.inputs["grants"]
        for r in of_type(plan, ":Grants")
        if "schema" in r.inputs
    }
    assert grants["mlops_dev.feature_development"] == [
        {"principal": "ml-data-scientists", "privileges": ["ALL_PRIVILEGES", "MANAGE"]}
    ]
    catalog = [r for r in of_type(plan, ":Grants") if r.inputs.get("catalog") == "mlops_dev"]
    assert catalog[0].inputs["grants"] == [
        {"principal": "ml-data-scientists", "privileges": ["USE_CATALOG"]}
    ]


def test_only_prod_has_the_read_only_binding_of_the_uat_catalog() -> None:
    def read_only(plan: Plan) -> list[dict]:
        return [
            r.inputs
            for r in of_type(plan, ":WorkspaceBinding")
            if r.inputs["bindingType"] == "BINDING_TYPE_READ_ONLY"
        ]

    assert read_only(example_plan("uat")) == []
    prod = example_plan("prod")
    assert read_only(prod) == [
        {
            "bindingType": "BINDING_TYPE_READ_ONLY",
            "securableName": "mlops_uat",
            "securableType": "catalog",
            "workspaceId": prod.outputs["workspace"]["id"],
        }
    ]


def test_binding_prod_into_uat_is_rejected(plan_with: Callable[..., Plan]) -> None:
    with pytest.raises(PlanFailure, match=r"promotion\.source_catalog.*nothing is bound into UAT"):
        plan_with("uat", lambda e: e["promotion"].update(source_catalog="mlops_prod"))


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_features_and_models_schemas_for_every_project(stack: str) -> None:
    plan = example_plan(stack)
    catalog = f"mlops_{stack}"
    schemas = {(r.inputs["catalogName"], r.inputs["name"]) for r in of_type(plan, ":Schema")}
    for project in PROJECTS:
        assert (catalog, f"{project}_features") in schemas
        assert (catalog, f"{project}_models") in schemas
    assert plan.outputs["schemas"]["churn"] == {
        "features": f"{catalog}.churn_features",
        "models": f"{catalog}.churn_models",
    }


def test_a_new_project_gets_its_schemas(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with("prod", lambda e: e["projects"].append({"name": "pricing"}))
    names = {r.inputs["name"] for r in of_type(plan, ":Schema")}
    assert {"pricing_features", "pricing_models"} <= names


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_runner_owns_the_securables_and_the_deployer_writes(stack: str) -> None:
    """The identity that runs `pulumi up` keeps ownership, so it can update what it declares;
    the deployer writes the governed catalog through ALL_PRIVILEGES."""
    plan = example_plan(stack)
    runner = example_config(stack)["platform"]["runner"]["application_id"]
    for resource in of_type(plan, ":Catalog") + of_type(plan, ":Schema"):
        assert resource.inputs["owner"] == runner, resource.urn
    (catalog_grants,) = [
        g for g in of_type(plan, ":Grants") if g.inputs.get("catalog") == f"mlops_{stack}"
    ]
    deployer = plan.outputs["deployer"]["application_id"]
    assert {"principal": deployer, "privileges": ["ALL_PRIVILEGES"]} in catalog_grants.inputs[
        "grants"
    ]


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_grants_only_through_authoritative_grants(stack: str) -> None:
    plan = example_plan(stack)
    # The one exception: the shared system catalog, where grants are additive (test_evidence).
    singular = {
        r.inputs.get("catalog") or r.inputs.get("schema") or r.inputs.get("table")
        for r in of_type(plan, "/grant:Grant")
    }
    assert {s.split(".")[0] for s in singular} <= {"system"} and of_type(
        plan, ":SqlPermissions"
    ) == []
    securables = {
        r.inputs.get("catalog") or r.inputs.get("schema") for r in of_type(plan, ":Grants")
    }
    assert f"mlops_{stack}" in securables and f"mlops_{stack}.churn_models" in securables


def test_a_single_grant_on_a_governed_schema_is_a_violation(project: Path) -> None:
    plan = with_extra_program(
        project,
        "prod",
        'databricks.Grant("g", schema="mlops_prod.churn_models", principal="ml-engineers", '
        'privileges=["MODIFY"], opts=opts)\n',
    )
    grant = hand_written("prod", "grant:Grant", "g")
    assert violations_of(plan) == {
        ("governed-read-execute-only", grant),
        ("authoritative-grants-only", grant),
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_humans_read_and_execute_only_on_governed_securables(stack: str) -> None:
    plan = example_plan(stack)
    deployer = plan.outputs["deployer"]["application_id"]
    development = plan.outputs["catalogs"].get("development")
    human_privileges = {
        privilege
        for resource in of_type(plan, ":Grants")
        if (resource.inputs.get("catalog") or resource.inputs.get("schema", "")).split(".")[0]
        not in (development, None, "")
        for grant in resource.inputs["grants"]
        if grant["principal"] != deployer
        for privilege in grant["privileges"]
    }
    assert human_privileges <= {"BROWSE", "USE_CATALOG", "USE_SCHEMA", "SELECT", "EXECUTE"}


def test_a_human_write_grant_is_a_violation(project: Path) -> None:
    plan = with_extra_program(
        project,
        "prod",
        'databricks.Grants("g", schema="mlops_prod.x", '
        'grants=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)\n',
    )
    grants = hand_written("prod", "grants:Grants", "g")
    assert violations_of(plan) == {("governed-read-execute-only", grants)}
    (violation,) = plan.violations
    assert violation.message == (
        "'ml-engineers' holds MODIFY on governed schema 'mlops_prod.x': humans may hold only "
        "BROWSE, EXECUTE, READ_VOLUME, SELECT, USE_CATALOG, USE_SCHEMA"
    )


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("project_schemas", {"data_scientists": ["SELCT"]}, "a Unity Catalog privilege the API"),
        ("project_schemas", {"ml_engineers": ["MODIFY"]}, "humans hold on governed catalogs"),
        ("development_catalog", ["ALL_PRIVILEGES"], "data scientists hold on the development"),
    ],
)
def test_privileges_are_checked_against_the_api(
    plan_with: Callable[..., Plan], key: str, value: object, words: str
) -> None:
    def change(estate: dict) -> None:
        if isinstance(value, dict):
            defaults = {
                "data_scientists": ["USE_SCHEMA"],
                "ml_engineers": ["USE_SCHEMA"],
                "platform_admins": ["USE_SCHEMA"],
                "auditors": ["BROWSE"],
            }
            estate["access"] = {key: {**defaults, **value}}
        else:
            estate["access"] = {key: value}

    with pytest.raises(PlanFailure) as raised:
        plan_with("uat", change)
    assert f"mlops-estate:estate.access.{key}" in str(raised.value)
    assert words in str(raised.value)
    assert isinstance(raised.value.__cause__, ConfigError)


def test_uat_model_schemas_are_readable_by_the_promotion_readers_only() -> None:
    plan = example_plan("uat")
    for resource in of_type(plan, ":Grants"):
        schema = resource.inputs.get("schema", "")
        readers = [
            g for g in resource.inputs["grants"] if g["principal"] == "ml-prod-model-promoters"
        ]
        if schema.endswith("_models") and schema.startswith("mlops_uat."):
            assert readers == [
                {"principal": "ml-prod-model-promoters", "privileges": ["USE_SCHEMA", "EXECUTE"]}
            ]
        elif schema:
            assert readers == [], schema
    (group,) = of_type(plan, ":Group")
    assert group.inputs["displayName"] == "ml-prod-model-promoters"


def test_prod_deployer_joins_the_promotion_readers() -> None:
    plan = example_plan("prod")
    (member,) = of_type(plan, ":GroupMember")
    (principal,) = of_type(plan, ":ServicePrincipal")
    assert member.provider.endswith("::databricks-account")
    assert member.inputs["groupId"].isdigit()
    assert principal.inputs["applicationId"] == plan.outputs["deployer"]["application_id"]


def test_no_two_stacks_manage_grants_on_the_same_securable() -> None:
    def securables(plan: Plan) -> set[str]:
        return {
            next(v for k, v in r.inputs.items() if k != "grants") for r in of_type(plan, ":Grants")
        }

    assert securables(example_plan("uat")) & securables(example_plan("prod")) == set()


def test_prod_governed_catalog_and_schemas_are_protected_without_force_destroy() -> None:
    prod = example_plan("prod")
    for resource in of_type(prod, ":Catalog") + of_type(prod, ":Schema"):
        assert resource.protect, resource.urn
        assert not resource.inputs.get("forceDestroy")
    assert not any(r.protect for r in of_type(example_plan("uat"), ":Catalog"))


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_storage_credential_and_location_are_isolated_and_bound_home(stack: str) -> None:
    plan = example_plan(stack)
    own = plan.outputs["workspace"]["id"]
    for typ in (":StorageCredential", ":ExternalLocation"):
        (resource,) = of_type(plan, typ)
        assert resource.inputs["isolationMode"] == "ISOLATION_MODE_ISOLATED"
        bindings = [
            r.inputs
            for r in of_type(plan, ":WorkspaceBinding")
            if r.inputs["securableName"] == resource.inputs["name"]
        ]
        assert [(b["workspaceId"], b["bindingType"]) for b in bindings] == [
            (own, "BINDING_TYPE_READ_WRITE")
        ]
    (credential,) = of_type(plan, ":StorageCredential")
    assert (
        credential.inputs["azureManagedIdentity"]["accessConnectorId"]
        == plan.outputs["azure"]["access_connector_id"]
    )


def test_access_matrix_matches_the_grants() -> None:
    plan = example_plan("uat")
    names = {role: principal["name"] for role, principal in plan.outputs["principals"].items()}
    rows = {
        (names[row["role"]], row["securable"], tuple(row["privileges"]))
        for row in plan.outputs["access_matrix"]
    }
    granted = {
        (
            g["principal"],
            next(v for k, v in r.inputs.items() if k != "grants"),
            tuple(g["privileges"]),
        )
        for r in of_type(plan, ":Grants")
        for g in r.inputs["grants"]
    }
    assert rows == granted


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_the_catalog_storage_has_the_names_the_rules_know(stack: str) -> None:
    """storage-isolated tells one environment's storage from another's by these names."""
    plan = example_plan(stack)
    names = catalog_storage_names(stack)
    (credential,) = of_type(plan, ":StorageCredential")
    (location,) = of_type(plan, ":ExternalLocation")
    assert (credential.inputs["name"], location.inputs["name"]) == names
    assert location.inputs["credentialName"] == names.credential
    assert {
        (b.inputs["securableType"], b.inputs["securableName"])
        for b in of_type(plan, ":WorkspaceBinding")
        if b.inputs["securableType"] != "catalog"
    } == names.securables


def test_data_scientists_may_manage_a_table_in_their_schema(project: Path) -> None:
    """They hold MANAGE on the feature-development schema, which its tables inherit."""
    plan = with_extra_program(
        project,
        "uat",
        'databricks.Grants("fd-table", table="mlops_dev.feature_development.features", '
        'grants=[{"principal": "ml-data-scientists", "privileges": ["MANAGE", "SELECT"]}], '
        "opts=opts)\n"
        'databricks.Grants("governed-table", table="mlops_uat.churn_features.features", '
        'grants=[{"principal": "ml-data-scientists", "privileges": ["MANAGE"]}], opts=opts)\n',
    )
    governed_table = hand_written("uat", "grants:Grants", "governed-table")
    assert violations_of(plan) == {
        ("governed-read-execute-only", governed_table),
        ("manage-only-platform", governed_table),
    }
