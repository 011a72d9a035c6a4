"""What `estate audit` accepts before it reads anything: the declared outputs (strictly, as the
estate writes them) and the workspaces its credentials may go to."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from databricks.sdk.config import Config
from support.live_estate import AUTH_ENVIRONMENT, TOKEN, LiveEstate, deployed, outputs_of
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.commands.audit.hosts import workspace_client, workspace_id_of
from mlops_estate.commands.audit.schema import parse_declared
from mlops_estate.commands.exit_codes import ExitCode

UAT_HOST = "https://adb-5745814255335704.4.azuredatabricks.net"


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveEstate]:
    """Both stacks freshly deployed, with nothing changed by hand."""
    yield from deployed(tmp_path, monkeypatch)


def _nothing_sent(estate: LiveEstate) -> None:
    """No request reached a workspace, so none carried the credential."""
    assert estate.network.connects == []
    assert estate.calls() == 0
    assert all(w.credentialed == [] for w in estate.workspaces.values())


def test_the_estates_own_outputs_are_accepted() -> None:
    for stack in ("uat", "prod"):
        assert parse_declared(outputs_of(stack), stack).environment == stack
    # An `estate plan --json` holds them under `outputs`.
    plan = {"stack": "uat", "resources": [], "outputs": outputs_of("uat")}
    assert parse_declared(plan, "plan.json").workspace.id == "5745814255335704"


def _without(*path: str) -> Callable[[dict[str, Any]], None]:
    def change(outputs: dict[str, Any]) -> None:
        holder = outputs
        for key in path[:-1]:
            holder = holder[key]
        del holder[path[-1]]

    return change


def _set(value: object, *path: str | int) -> Callable[[dict[str, Any]], None]:
    def change(outputs: dict[str, Any]) -> None:
        holder: Any = outputs
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = value

    return change


# Each malformed file, and the words its one error must say: the key and what is wrong.
MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "no-catalogs": (_without("catalogs"), ["catalogs: missing"]),
    "no-folders": (_without("folders"), ["folders: missing"]),
    "no-catalogs-and-folders": (
        lambda o: (_without("catalogs")(o), _without("folders")(o)),
        ["catalogs: missing", "folders: missing"],
    ),
    "no-users-group": (
        _without("workspace_settings", "users_group_entitlements"),
        ["workspace_settings.users_group_entitlements: missing"],
    ),
    "no-promotion": (_without("promotion"), ["promotion: missing"]),
    "no-runner": (_without("principals", "runner"), ["principals.runner: missing"]),
    "privilege-typo": (
        _set(["SELCT"], "access_matrix", 0, "privileges"),
        ["access_matrix[0].privileges[0]", "'SELCT' is not allowed", "catalog.Privilege"],
    ),
    "unknown-role": (
        _set("interns", "access_matrix", 0, "role"),
        ["access_matrix[0].role: 'interns' is not a role in principals"],
    ),
    "boolean-as-text": (
        _set("false", "workspace_settings", "tokens", "enabled"),
        ["workspace_settings.tokens.enabled"],
    ),
    "host-of-another-workspace": (
        _set("https://adb-1111111111111111.4.azuredatabricks.net", "workspace", "host"),
        ["workspace.host", "is not the per-workspace URL of workspace.id 5745814255335704"],
    ),
    "permission-level-typo": (
        _set(
            "CAN_MANGE",
            "workspace_settings",
            "cluster_policies",
            "deployer_jobs",
            0,
            "permission_level",
        ),
        ["deployer_jobs[0].permission_level", "'CAN_MANGE' is not allowed"],
    ),
    "binding-type-the-sdk-does-not-parse": (
        _set("READ_ONLY", "bindings", 0, "binding_type"),
        ["bindings[0].binding_type", "BINDING_TYPE_READ_WRITE"],
    ),
    "environment": (_set("staging", "environment"), ["environment", "'uat' or 'prod'"]),
    "workspace-id": (_set("ws-1", "workspace", "id"), ["workspace.id", "numeric workspace id"]),
    "runner-as-a-group": (
        _set("group", "principals", "runner", "kind"),
        ["principals.runner: not a service principal named by application id"],
    ),
    "deployer-of-another-identity": (
        _set("5b1e0c44-5f1a-4c1e-9d7e-0a7b4c2d9e11", "principals", "deployer", "name"),
        ["principals.deployer.name: differs from deployer.application_id"],
    ),
    "persona-of-another-group": (
        _set("ml-interns", "personas", 0, "group"),
        ["personas[0].group: differs from principals.data_scientists"],
    ),
    "governed-catalog-not-owned": (
        _set("mlops_other", "catalogs", "governed"),
        ["catalogs.governed: 'mlops_other' has no row in owners"],
    ),
    "promotion-of-another-catalog": (
        _set("mlops_dev", "promotion", "source_catalog"),
        ["promotion.source_catalog: 'mlops_dev' is not the uat stack's promotion catalog"],
    ),
    "row-with-an-extra-key": (
        _set("yes", "bindings", 0, "approved"),
        ["bindings[0].approved: not a key of the estate's outputs"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_declared_outputs_exit_2_naming_the_key(tmp_path: Path, case: str) -> None:
    change, words = MALFORMED[case]
    outputs = copy.deepcopy(outputs_of("uat"))
    change(outputs)
    declared = tmp_path / "uat.json"
    declared.write_text(json.dumps(outputs))
    result = CliRunner().invoke(app, ["audit", "--declared", str(declared), "--host", UAT_HOST])
    assert result.exit_code == ExitCode.INVALID
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert "not the outputs of an mlops-estate stack" in result.output
    for word in words:
        assert word in " ".join(result.output.split()), result.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            '{"bucket_name": "logs", "url": "s3://logs"}',
            [
                "environment: missing",
                "catalogs: missing",
                "folders: missing",
                "workspace_settings: missing",
            ],
        ),
        ('{"environment": "uat", "workspace": {"host": "h"', ["not valid JSON", "truncated"]),
        ('[{"environment": "uat"}]', ["expected a JSON object", "got an array"]),
        ("", ["not valid JSON"]),
    ],
    ids=["another-project", "truncated", "array", "empty"],
)
def test_files_that_are_not_the_estates_outputs(
    tmp_path: Path, content: str, words: list[str]
) -> None:
    declared = tmp_path / "outputs.json"
    declared.write_text(content)
    result = CliRunner().invoke(app, ["audit", "--declared", str(declared), "--host", UAT_HOST])
    assert result.exit_code == ExitCode.INVALID
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "--declared", str(tmp_path / "nope.json")])
    assert result.exit_code == ExitCode.INVALID
    assert "file not found" in result.output


# -- where credentials go ----------------------------------------------------------------


def test_a_host_other_than_the_declared_workspace_is_refused_before_any_request(
    estate: LiveEstate,
) -> None:
    code, _, output = estate.audit("uat", hosts=[estate.urls["prod"]])
    assert code == ExitCode.INVALID
    assert "--host" in output and "is not the workspace that" in output
    _nothing_sent(estate)


def test_a_tampered_declared_host_does_not_receive_the_credential(estate: LiveEstate) -> None:
    """The file names prod's workspace and its id: --host still says uat's, so nothing goes."""
    tampered = copy.deepcopy(estate.outputs["uat"])
    tampered["workspace"].update(host=estate.urls["prod"], id="6294946286041810")
    estate.declared("uat").write_text(json.dumps(tampered))
    code, _, output = estate.audit("uat")
    assert code == ExitCode.INVALID
    assert "--host" in output and "is not the workspace that" in output
    _nothing_sent(estate)


@pytest.mark.parametrize(
    "host",
    [
        "http://adb-5745814255335704.4.azuredatabricks.net",
        "https://adb-5745814255335704.4.azuredatabricks.net:8443",
        "https://user@adb-5745814255335704.4.azuredatabricks.net",
        "https://adb-5745814255335704.4.azuredatabricks.net/api",
        "https://adb-5745814255335704.4.azuredatabricks.net.example.com",
        "https://westeurope.azuredatabricks.net",
        "https://accounts.azuredatabricks.net",
        "https://127.0.0.1:9",
        "adb-5745814255335704.4.azuredatabricks.net",
    ],
)
def test_only_azure_databricks_workspace_urls_receive_credentials(
    estate: LiveEstate, host: str
) -> None:
    code, _, output = estate.audit("uat", hosts=[host])
    assert code == ExitCode.INVALID
    assert "is not allowed: an Azure Databricks workspace URL" in " ".join(output.split())
    _nothing_sent(estate)


def test_workspace_urls_as_azure_writes_them() -> None:
    assert (
        workspace_id_of("https://adb-5745814255335704.4.azuredatabricks.net") == "5745814255335704"
    )
    assert (
        workspace_id_of("https://ADB-5745814255335704.4.AzureDatabricks.net/") == "5745814255335704"
    )
    assert workspace_id_of("https://adb-5745814255335704.4.azuredatabricks.net?o=1") is None


@pytest.mark.parametrize("no_proxy", ["", ".azuredatabricks.net"], ids=["proxied", "not-proxied"])
def test_the_client_reads_proxies_and_the_ca_bundle_once_as_requests_would(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_proxy: str
) -> None:
    """What the client keeps for its workspace is what requests reads from the environment
    for that host on each call (the audit tests reach their workspaces through both)."""
    for name in (*AUTH_ENVIRONMENT, "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, "http://proxy.contoso.com:3128")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, no_proxy)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "no-databrickscfg"))
    # The SDK's Config asks the host for its metadata (/.well-known/databricks-config) as it
    # starts; this test reaches no workspace, so the probe is left out.
    monkeypatch.setattr(Config, "_resolve_host_metadata", lambda self: None)
    session = workspace_client(UAT_HOST, 60, 30, 8).api_client._api_client._session
    per_call = requests.Session().merge_environment_settings(UAT_HOST, {}, None, None, None)
    assert not session.trust_env
    assert (session.proxies, session.verify) == (per_call["proxies"], per_call["verify"])
    assert session.verify == str(bundle)
    assert session.proxies.get("https") == (None if no_proxy else "http://proxy.contoso.com:3128")


def test_databricks_host_names_the_workspace_of_a_single_stack(
    estate: LiveEstate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABRICKS_HOST", estate.urls["uat"])
    code, document, _ = estate.audit("uat", hosts=[])
    assert code == ExitCode.CLEAN, document
    assert estate.workspaces["uat"].credentialed and not estate.workspaces["prod"].credentialed
    monkeypatch.setenv("DATABRICKS_HOST", estate.urls["prod"])
    code, _, output = estate.audit("uat", hosts=[])
    assert code == ExitCode.INVALID and "DATABRICKS_HOST" in output


@pytest.mark.parametrize(
    ("stacks", "hosts", "words"),
    [
        (("uat", "prod"), ["uat"], "give one --host per --declared"),
        (("uat", "prod"), [], "no workspace to audit"),
        (("uat", "prod"), ["prod", "uat"], "is not the workspace that"),
        (("uat", "uat"), ["uat", "uat"], "both declare the uat stack"),
    ],
    ids=["too-few-hosts", "no-host", "hosts-swapped", "same-stack-twice"],
)
def test_hosts_pair_with_declared_files_in_order(
    estate: LiveEstate, stacks: tuple[str, ...], hosts: list[str], words: str
) -> None:
    code, _, output = estate.audit(*stacks, hosts=[estate.urls[h] for h in hosts])
    assert code == ExitCode.INVALID
    assert words in " ".join(output.split())
    _nothing_sent(estate)


def test_databricks_host_does_not_stand_for_two_stacks(
    estate: LiveEstate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABRICKS_HOST", estate.urls["uat"])
    code, _, output = estate.audit("uat", "prod", hosts=[])
    assert code == ExitCode.INVALID and "names one workspace" in output
    _nothing_sent(estate)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_set("mlops_other", "promotion", "source_catalog"), "is not uat's governed catalog"),
        (_set("other-group", "promotion", "reader_group"), "is not uat's"),
        (
            _set("55555555-5555-4555-8555-555555555555", "workspace", "metastore_id"),
            "different metastores",
        ),
    ],
    ids=["other-source", "other-group", "other-metastore"],
)
def test_two_stacks_must_describe_one_estate(
    estate: LiveEstate, change: Callable[[dict[str, Any]], None], words: str
) -> None:
    prod = copy.deepcopy(estate.outputs["prod"])
    change(prod)
    if prod["promotion"]["source_catalog"] != "mlops_uat":
        prod["catalogs"]["promotion_source"] = prod["promotion"]["source_catalog"]
    estate.declared("prod").write_text(json.dumps(prod))
    code, _, output = estate.audit("uat", "prod")
    assert code == ExitCode.INVALID
    assert words in " ".join(output.split())
    _nothing_sent(estate)


def test_without_credentials_the_audit_stops_with_exit_2(
    estate: LiveEstate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABRICKS_TOKEN")
    monkeypatch.setenv("PATH", "")  # no Azure CLI to fall back on
    code, _, output = estate.audit("uat")
    assert code == ExitCode.INVALID
    assert "error:" in output
    assert all(w.credentialed == [] for w in estate.workspaces.values())
    assert TOKEN not in output


def test_a_config_profile_naming_another_host_does_not_redirect_the_credential(
    estate: LiveEstate, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    profile = tmp_path / "databrickscfg"
    profile.write_text(f"[elsewhere]\nhost = {estate.urls['prod']}\ntoken = {TOKEN}\n")
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(profile))
    monkeypatch.setenv("DATABRICKS_CONFIG_PROFILE", "elsewhere")
    code, _, _ = estate.audit("uat")
    assert code == ExitCode.CLEAN
    assert estate.workspaces["uat"].credentialed and not estate.workspaces["prod"].credentialed


def test_a_client_that_ends_up_elsewhere_is_refused(
    estate: LiveEstate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the SDK ever resolve another host than the one given, nothing is sent to it."""

    def elsewhere(config: Config) -> None:
        config.host = estate.urls["prod"]

    monkeypatch.setattr(Config, "_fix_host_if_needed", elsewhere)
    code, _, output = estate.audit("uat")
    assert code == ExitCode.INVALID and "not the checked" in output
    assert all(w.credentialed == [] for w in estate.workspaces.values())
