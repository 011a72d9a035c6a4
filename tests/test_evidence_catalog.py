"""The evidence catalog: the audit evidence in a catalog of its own, out of the reach of the
deployer whose actions it records. Its inputs, binding, owner and grants in the example plans,
the outputs that name it, its config key, the rule that keeps it closed (each break pinned to
its URN) and the live audit of it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.live_estate import LiveEstate, deployed, drift, outputs_of, verdict
from support.plans import example_config, example_plan, of_type, write_stack
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.commands.audit.schema import DeclarationError, parse_declared
from mlops_estate.commands.exit_codes import ExitCode
from mlops_estate.commands.plan.runner import Plan
from mlops_estate.config import ConfigError, parse_estate_config
from mlops_estate.rules import Resource, Trust, evaluate
from mlops_estate.vocabulary.resource_types import WORKSPACE_BINDING

STACKS = ["uat", "prod"]
RULE = "evidence-catalog-readers-only"
KEY = "mlops-estate:estate.evidence.catalog_name"
READ_WRITE = "BINDING_TYPE_READ_WRITE"
ELSEWHERE = "1111111111111111"


def _urn(stack: str, type_: str, name: str) -> str:
    return (
        f"urn:pulumi:{stack}::mlops-estate::mlops-estate:estate:Environment$"
        f"mlops-estate:unitycatalog:AuditEvidence$databricks:index/{type_}::"
        f"{stack}-audit-evidence-{name}"
    )


CATALOG = ("catalog:Catalog", "catalog")
CATALOG_GRANTS = ("grants:Grants", "catalog-grants")
BINDING = ("workspaceBinding:WorkspaceBinding", "catalog-binding")
SCHEMA = ("schema:Schema", "schema")
SCHEMA_GRANTS = ("grants:Grants", "schema-grants")


def _resource(plan: Plan, which: tuple[str, str]) -> Any:
    urn = _urn(plan.stack, *which)
    (found,) = [r for r in plan.resources if r.urn == urn]
    return found


def _names(stack: str) -> dict[str, str]:
    config = example_config(stack)
    personas = config["personas"]
    return {
        "catalog": config["evidence"]["catalog_name"],
        "schema": f"{config['evidence']['catalog_name']}.audit_evidence",
        "governed": config["catalogs"]["governed"],
        "runner": config["platform"]["runner"]["application_id"],
        "deployer": example_plan(stack).outputs["deployer"]["application_id"],
        "auditors": personas["auditors"],
        "platform_admins": personas["platform_admins"],
    }


def _in_catalog(securable: str, catalog: str) -> bool:
    return securable == catalog or securable.startswith(f"{catalog}.")


# --- The catalog in the example plans ------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_the_evidence_catalog_is_isolated_owned_by_the_runner_under_the_catalog_storage(
    stack: str,
) -> None:
    plan, names = example_plan(stack), _names(stack)
    catalog = _resource(plan, CATALOG)
    governed = next(c for c in of_type(plan, ":Catalog") if c.inputs["name"] == names["governed"])
    assert catalog.inputs["name"] == names["catalog"] == f"mlops_{stack}_evidence"
    assert catalog.inputs["isolationMode"] == "ISOLATED"
    assert catalog.inputs["owner"] == names["runner"]
    # Managed storage beside the governed catalog's, under the estate's catalog storage root.
    root = governed.inputs["storageRoot"].removesuffix(names["governed"])
    assert catalog.inputs["storageRoot"] == f"{root}{names['catalog']}"
    assert catalog.protect is (stack == "prod")
    schemas = [s for s in of_type(plan, ":Schema") if s.inputs["catalogName"] == names["catalog"]]
    assert [s.urn for s in schemas] == [_urn(stack, *SCHEMA)]
    assert schemas[0].inputs["name"] == "audit_evidence"
    assert schemas[0].inputs["owner"] == names["runner"]
    assert plan.violations == []


@pytest.mark.parametrize("stack", STACKS)
def test_the_evidence_catalog_is_bound_read_write_to_its_own_workspace_only(stack: str) -> None:
    """READ_WRITE: a read-only binding blocks every write from the workspace, CREATE VIEW on
    its SQL warehouse included."""
    plan, names = example_plan(stack), _names(stack)
    bindings = [
        (b.urn, b.inputs["workspaceId"], b.inputs["bindingType"])
        for b in of_type(plan, ":WorkspaceBinding")
        if b.inputs["securableName"] == names["catalog"]
    ]
    assert bindings == [(_urn(stack, *BINDING), plan.outputs["workspace"]["id"], READ_WRITE)]


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_evidence_readers_hold_privileges_and_the_deployer_nothing(stack: str) -> None:
    plan, names = example_plan(stack), _names(stack)
    readers = (names["auditors"], names["platform_admins"])
    granted = {
        (g.urn, g.inputs.get("catalog") or g.inputs.get("schema")): {
            grant["principal"]: grant["privileges"] for grant in g.inputs["grants"]
        }
        for g in of_type(plan, ":Grants")
        if _in_catalog(g.inputs.get("catalog") or g.inputs.get("schema") or "", names["catalog"])
    }
    assert granted == {
        (_urn(stack, *CATALOG_GRANTS), names["catalog"]): {r: ["USE_CATALOG"] for r in readers},
        (_urn(stack, *SCHEMA_GRANTS), names["schema"]): {
            r: ["USE_SCHEMA", "SELECT"] for r in readers
        },
    }
    singular = [
        g
        for g in of_type(plan, "/grant:Grant")
        if any(_in_catalog(str(v), names["catalog"]) for v in g.inputs.values())
    ]
    assert singular == []
    # The deployer's ALL_PRIVILEGES is on the governed catalog, and nowhere in the evidence's.
    deployer_holds = {
        g.inputs.get("catalog") or g.inputs.get("schema")
        for g in of_type(plan, ":Grants")
        for grant in g.inputs["grants"]
        if grant["principal"] == names["deployer"]
    }
    assert names["governed"] in deployer_holds
    assert not any(_in_catalog(s, names["catalog"]) for s in deployer_holds)


@pytest.mark.parametrize("stack", STACKS)
def test_the_outputs_name_the_evidence_catalog_as_the_stacks_own(stack: str) -> None:
    outputs, names = example_plan(stack).outputs, _names(stack)
    assert outputs["catalogs"]["evidence"] == outputs["evidence"]["catalog"] == names["catalog"]
    assert {
        (row["securable_type"], row["securable"], row["role"])
        for row in outputs["owners"]
        if _in_catalog(row["securable"], names["catalog"])
    } == {("catalog", names["catalog"], "runner"), ("schema", names["schema"], "runner")}
    assert [
        (b["securable_type"], b["workspace_id"], b["binding_type"])
        for b in outputs["bindings"]
        if b["securable"] == names["catalog"]
    ] == [("catalog", outputs["workspace"]["id"], READ_WRITE)]
    assert sorted(
        (row["role"], row["securable"], tuple(row["privileges"]))
        for row in outputs["access_matrix"]
        if _in_catalog(row["securable"], names["catalog"])
    ) == [
        ("auditors", names["catalog"], ("USE_CATALOG",)),
        ("auditors", names["schema"], ("USE_SCHEMA", "SELECT")),
        ("platform_admins", names["catalog"], ("USE_CATALOG",)),
        ("platform_admins", names["schema"], ("USE_SCHEMA", "SELECT")),
    ]
    queries = " ".join(outputs["evidence"]["queries"].values())
    assert f"FROM {names['schema']}.permission_changes" in queries
    assert f"LIKE '{names['governed']}.%'" in queries


# --- Config ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_an_unset_catalog_name_defaults_to_the_governed_catalogs_with_a_suffix(stack: str) -> None:
    estate = example_config(stack)
    del estate["evidence"]["catalog_name"]
    trust = Trust.from_config(stack, parse_estate_config(estate, stack=stack))
    assert trust.evidence_catalog == f"mlops_{stack}_evidence"
    assert trust.evidence_schema == f"mlops_{stack}_evidence.audit_evidence"
    assert trust.own_catalogs >= {f"mlops_{stack}", f"mlops_{stack}_evidence"}


def _catalog_name(value: str) -> Callable[[dict[str, Any]], None]:
    def change(estate: dict[str, Any]) -> None:
        estate["evidence"]["catalog_name"] = value

    return change


def _long_governed_catalog(estate: dict[str, Any]) -> None:
    estate["catalogs"]["governed"] = "g" * 60
    del estate["evidence"]["catalog_name"]


BAD_CATALOG_NAMES = [
    ("not-a-uc-name", "uat", _catalog_name("Audit-Evidence"), "is not allowed: a Unity Catalog"),
    ("the-governed-catalog", "prod", _catalog_name("mlops_prod"), "must differ from catalogs.gov"),
    ("the-development-catalog", "uat", _catalog_name("mlops_dev"), "must differ from catalogs.dev"),
    ("uats-catalog-in-prod", "prod", _catalog_name("mlops_uat"), "must differ from promotion.sou"),
    ("a-default-too-long", "uat", _long_governed_catalog, "unset, so catalogs.governed with"),
]


@pytest.mark.parametrize(
    ("stack", "change", "message"),
    [case[1:] for case in BAD_CATALOG_NAMES],
    ids=[case[0] for case in BAD_CATALOG_NAMES],
)
def test_a_bad_evidence_catalog_exits_2_naming_the_key(
    project: Path, stack: str, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    estate = example_config(stack)
    change(estate)
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(estate, stack=stack)
    assert [(path, message in text) for path, text in raised.value.problems] == [(KEY, True)]
    write_stack(project, stack, estate)
    result = CliRunner().invoke(app, ["plan", "--stack", stack, "--cwd", str(project)])
    assert result.exit_code == 2
    assert KEY in result.output and "Traceback" not in result.output


# --- The rule, broken on its URNs -----------------------------------------------------------


def _violations(plan: Plan, resources: list[Resource]) -> set[tuple[str, str]]:
    trust = Trust.from_raw_config(plan.stack, plan.config)
    found, _ = evaluate(resources, trust, plan.lookups, unknown_fails=True)
    return {(v.policy, v.urn) for v in found}


def _changed(plan: Plan, urn: str, change: Callable[[dict[str, Any]], None]) -> list[Resource]:
    resources = []
    for resource in (r.as_resource() for r in plan.resources):
        if resource.urn == urn:
            props = json.loads(json.dumps(dict(resource.props)))
            change(props)
            resource = dataclasses.replace(resource, props=props)
        resources.append(resource)
    return resources


def _granted(principal: str, privileges: list[str]) -> Callable[[dict[str, Any]], None]:
    def change(props: dict[str, Any]) -> None:
        props["grants"].append({"principal": principal, "privileges": privileges})

    return change


def _owned_by(owner: str) -> Callable[[dict[str, Any]], None]:
    def change(props: dict[str, Any]) -> None:
        props["owner"] = owner

    return change


def _reader_also_browses(props: dict[str, Any]) -> None:
    props["grants"][0]["privileges"] = [*props["grants"][0]["privileges"], "BROWSE"]


BREAKS: list[tuple[str, tuple[str, str], Callable[[str], Callable[[dict[str, Any]], None]]]] = [
    (
        "the-deployer-on-the-catalog",
        CATALOG_GRANTS,
        lambda stack: _granted(_names(stack)["deployer"], ["USE_CATALOG", "CREATE_SCHEMA"]),
    ),
    (
        "a-persona-on-the-schema",
        SCHEMA_GRANTS,
        lambda stack: _granted(example_config(stack)["personas"]["ml_engineers"], ["SELECT"]),
    ),
    ("a-reader-beyond-reading", CATALOG_GRANTS, lambda stack: _reader_also_browses),
    (
        "the-schema-owned-by-the-deployer",
        SCHEMA,
        lambda stack: _owned_by(_names(stack)["deployer"]),
    ),
    ("the-catalog-owned-by-the-admins", CATALOG, lambda stack: _owned_by("ml-platform-admins")),
]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(
    ("which", "change"), [case[1:] for case in BREAKS], ids=[case[0] for case in BREAKS]
)
def test_the_rule_breaks_on_what_reaches_into_the_evidence_catalog(
    stack: str,
    which: tuple[str, str],
    change: Callable[[str], Callable[[dict[str, Any]], None]],
) -> None:
    plan = example_plan(stack)
    urn = _urn(stack, *which)
    assert _violations(plan, [r.as_resource() for r in plan.resources]) == set()
    assert _violations(plan, _changed(plan, urn, change(stack))) == {(RULE, urn)}


def test_a_read_only_binding_of_uats_evidence_elsewhere_breaks_only_this_rule() -> None:
    """UAT may bind its own catalogs read-only into Prod (cross-environment-read-only); its
    evidence catalog it binds nowhere."""
    plan = example_plan("uat")
    binding = _resource(plan, BINDING).as_resource()
    elsewhere = dataclasses.replace(
        binding,
        urn=binding.urn.replace("catalog-binding", "catalog-elsewhere"),
        name="uat-audit-evidence-catalog-elsewhere",
        props={
            **binding.props,
            "workspaceId": ELSEWHERE,
            "bindingType": "BINDING_TYPE_READ_ONLY",
        },
    )
    assert elsewhere.type == WORKSPACE_BINDING
    resources = [*(r.as_resource() for r in plan.resources), elsewhere]
    assert _violations(plan, resources) == {(RULE, elsewhere.urn)}


def test_prod_keeps_its_evidence_catalog_but_no_other() -> None:
    """development-catalog-uat-only: in Prod, the governed and evidence catalogs only."""
    plan = example_plan("prod")
    catalog = _resource(plan, CATALOG).as_resource()
    other = dataclasses.replace(
        catalog,
        urn=catalog.urn.replace("evidence-catalog", "evidence-other"),
        props={**catalog.props, "name": "mlops_prod_other"},
    )
    resources = [*(r.as_resource() for r in plan.resources), other]
    assert _violations(plan, resources) == {
        ("development-catalog-uat-only", other.urn),
        ("catalog-bound-to-own-workspace", other.urn),
    }


# --- The live audit --------------------------------------------------------------------------


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveEstate]:
    yield from deployed(tmp_path, monkeypatch)


def test_the_audit_reads_the_evidence_catalog_as_declared(estate: LiveEstate) -> None:
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.CLEAN, document
    assert verdict(document, "prod", RULE) == "pass"
    assert verdict(document, "prod", "development-catalog-uat-only") == "pass"
    deployer = estate.outputs["prod"]["deployer"]["application_id"]
    estate.metastore.grants[("catalog", "mlops_prod_evidence")][deployer] = ["USE_CATALOG"]
    code, document, _ = estate.audit("prod")
    assert code == ExitCode.VIOLATION
    assert drift(document, "prod") == [
        (
            "live, not declared",
            "grants on catalog mlops_prod_evidence",
            f"{deployer} (deployer): USE_CATALOG",
        ),
        (
            "live, not declared",
            "grants on schema mlops_prod_evidence.audit_evidence",
            f"{deployer} (deployer): USE_CATALOG (inherited from CATALOG mlops_prod_evidence)",
        ),
    ]
    assert verdict(document, "prod", RULE) == "fail"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda o: o["catalogs"].pop("evidence"), "catalogs.evidence: missing"),
        (
            lambda o: o["catalogs"].update(evidence="mlops_other"),
            "catalogs.evidence: 'mlops_other' has no row in owners",
        ),
    ],
    ids=["missing", "not-owned"],
)
def test_declared_outputs_name_their_evidence_catalog(
    change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    outputs = outputs_of("uat")
    parse_declared(outputs, "uat.json")
    change(outputs)
    with pytest.raises(DeclarationError) as raised:
        parse_declared(outputs, "uat.json")
    assert problem in str(raised.value)
