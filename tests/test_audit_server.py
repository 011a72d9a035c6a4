"""The local server answers as the real Databricks REST API does, as databricks-sdk 0.162
parses it: these pin the platform facts the audit tests stand on (cited in
tests/support/fake_databricks.py), so that the server cannot drift towards what the audit
would like."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config
from databricks.sdk.errors import DatabricksError, ResourceDoesNotExist
from databricks.sdk.service.catalog import SecurableType, WorkspaceBindingBindingType
from support.fake_databricks import READ_ONLY, FakeMetastore, FakeWorkspace, Fault
from support.live_estate import outputs_of

from mlops_estate.commands.audit.live import UNKNOWN
from mlops_estate.commands.audit.unity_catalog import read_effective_grants


@pytest.fixture
def served() -> Iterator[tuple[FakeWorkspace, WorkspaceClient, str]]:
    """The uat workspace of a deployed estate, and an SDK client of it."""
    uat, prod = outputs_of("uat"), outputs_of("prod")
    workspace = FakeWorkspace.matching(uat, FakeMetastore.matching(uat, prod))
    server, port = workspace.serve()
    url = f"http://127.0.0.1:{port}"
    yield workspace, WorkspaceClient(config=Config(host=url, token="t", auth_type="pat")), url
    server.shutdown()


def test_every_list_starts_with_an_empty_page_that_carries_a_token(served: tuple) -> None:
    """A page "may contain zero results while still providing a next_page_token"
    (catalog.CatalogsAPI.list); the SDK follows it."""
    _, client, url = served
    first = requests.get(f"{url}/api/2.1/unity-catalog/catalogs?max_results=0", timeout=5).json()
    assert first == {"catalogs": [], "next_page_token": "p0"}
    names = {c.name for c in client.catalogs.list()}
    assert names == {"mlops_uat", "mlops_uat_evidence", "mlops_dev", "system", "samples"}


def test_a_listing_shows_unbound_catalogs_only_when_asked(served: tuple) -> None:
    _, client, _ = served
    assert "mlops_prod" not in {c.name for c in client.catalogs.list()}
    assert "mlops_prod" in {c.name for c in client.catalogs.list(include_unbound=True)}


def test_enum_values_are_spelled_as_the_sdk_parses_them(served: tuple) -> None:
    _, client, _ = served
    bindings = list(client.workspace_bindings.get_bindings("catalog", "mlops_uat"))
    assert WorkspaceBindingBindingType(READ_ONLY) in {b.binding_type for b in bindings}
    assert None not in {b.binding_type for b in bindings}
    catalog = next(c for c in client.catalogs.list() if c.name == "mlops_uat")
    assert catalog.isolation_mode is not None and catalog.isolation_mode.value == "ISOLATED"
    page = client.grants.get_effective("schema", "mlops_uat.churn_models")
    inherited = [
        p for a in page.privilege_assignments for p in a.privileges if p.inherited_from_type
    ]
    assert inherited and {p.inherited_from_type for p in inherited} == {SecurableType.CATALOG}


def test_token_permissions_do_not_exist_while_tokens_are_off(served: tuple) -> None:
    workspace, client, _ = served
    with pytest.raises(ResourceDoesNotExist, match="tokens tokens does not exist"):
        client.permissions.get("authorization", "tokens")
    workspace.conf["enableTokensConfig"] = "true"
    workspace.tokens.append({"token_id": "t1", "owner_id": 1})
    acl = client.permissions.get("authorization", "tokens")
    assert acl.object_type == "tokens"
    [admins] = acl.access_control_list
    assert admins.group_name == "admins"
    assert [(p.permission_level.value, p.inherited) for p in admins.all_permissions] == [
        ("CAN_MANAGE", False)
    ]


def test_folders_inherit_from_their_parents_and_admins_from_the_root(served: tuple) -> None:
    workspace, client, _ = served
    parent = str(workspace.directories["/Deployments"])
    workspace.acls[("directories", parent)] = {("group_name", "ml-engineers"): "CAN_EDIT"}
    folder = client.workspace.get_status("/Deployments/mlops")
    acl = client.permissions.get("directories", str(folder.object_id))
    assert acl.object_type == "directory"
    entries = {
        (e.group_name, p.permission_level.value, p.inherited, tuple(p.inherited_from_object or ()))
        for e in acl.access_control_list
        for p in e.all_permissions
        if e.group_name
    }
    assert ("admins", "CAN_MANAGE", True, ("/directories/",)) in entries
    assert ("ml-engineers", "CAN_EDIT", True, (f"/directories/{parent}",)) in entries
    assert ("ml-engineers", "CAN_RUN", False, ()) in entries


def test_scim_errors_have_scims_shape(served: tuple) -> None:
    workspace, client, _ = served
    workspace.faults.append(Fault("/scim/v2/Groups", status=403))
    with pytest.raises(DatabricksError) as raised:
        list(client.groups.list(filter='displayName eq "users"'))
    assert raised.value.error_code == "SCIM_403"


def test_scim_pages_by_start_index_and_always_returns_ids(served: tuple) -> None:
    _, client, _ = served
    groups = list(
        client.groups.list(
            filter='displayName eq "users" or displayName eq "admins"', attributes="displayName"
        )
    )
    assert {g.display_name for g in groups} == {"users", "admins"}
    assert all(g.id for g in groups)


def _typed_effective(client: WorkspaceClient, kind: str, name: str) -> dict[str, set[str]]:
    """Each principal's privileges read through the typed `grants.get_effective`, page by
    page."""
    held: dict[str, set[str]] = {}
    token = None
    while True:
        page = client.grants.get_effective(kind, name, max_results=0, page_token=token)
        for assignment in page.privilege_assignments or []:
            held.setdefault(assignment.principal or "", set()).update(
                p.privilege.value if p.privilege else UNKNOWN for p in assignment.privileges or []
            )
        token = page.next_page_token
        if not token:
            return held


def test_effective_grants_are_read_as_the_sdk_parses_them(
    served: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit reads these pages without the SDK's dataclasses: it finds the privileges they
    hold, values the SDK does not name included, across every page. A direct grant is kept
    beside the same privilege inherited, and a privilege that names a parent is inherited even
    where the SDK does not know the parent's type."""
    workspace, client, _ = served
    answer = {
        "ml-engineers": [
            {"privilege": "SELECT"},
            {"privilege": "FUTURE"},
            {"privilege": "USE_SCHEMA", "inherited_from_type": "CATALOG"},
            {"privilege": "EXECUTE"},
            {"privilege": "EXECUTE", "inherited_from_type": "CATALOG", "inherited_from_name": "c"},
        ],
        "ml-auditors": [
            {"privilege": "BROWSE", "inherited_from_type": "CATALOG", "inherited_from_name": "c"},
            {"privilege": "MODIFY", "inherited_from_type": "NEW_KIND", "inherited_from_name": "x"},
            {"privilege": "SELECT", "inherited_from_name": "c"},
            {"privilege": "EXECUTE", "inherited_from_type": "SCHEMA", "inherited_from_name": "s"},
            {"privilege": "EXECUTE"},
            {"privilege": "", "inherited_from_type": ""},
        ],
        "": [{}],
    }
    monkeypatch.setattr(workspace.metastore, "effective", lambda kind, name: answer)
    workspace.metastore.page_size = 1
    name = "mlops_uat.churn_models"
    read = read_effective_grants(client, "schema", name)
    assert {principal: set(held) for principal, held in read.items()} == _typed_effective(
        client, "schema", name
    )
    assert read == {
        "ml-engineers": {
            "SELECT": "",
            UNKNOWN: "",
            "USE_SCHEMA": f"CATALOG {UNKNOWN}",
            "EXECUTE": "",
        },
        "ml-auditors": {
            "BROWSE": "CATALOG c",
            "MODIFY": f"{UNKNOWN} x",
            "SELECT": f"{UNKNOWN} c",
            "EXECUTE": "",
            UNKNOWN: "",
        },
        "": {UNKNOWN: ""},
    }
