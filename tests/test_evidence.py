"""Customer-managed keys, the enhanced security features, diagnostic logs and the audit
evidence, in the example plans; and the rules that keep each, broken by a plan that removes
or weakens what it protects."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.plans import REPO, example_config, example_plan, of_type, run_plan, write_stack

from mlops_estate.commands.plan.runner import Plan
from mlops_estate.config import ConfigError, parse_estate_config
from mlops_estate.rules import Resource, Trust, evaluate
from mlops_estate.rules.evidence import duration_days
from mlops_estate.vocabulary.azure import (
    CONTRIBUTOR,
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    READER,
    role_definition_id,
    same_id,
)

STACKS = ["uat", "prod"]
WAREHOUSES = {"uat": "0123456789abcdef", "prod": "fedcba9876543210"}
_SECOND: dict[str, Plan] = {}


def second_step(stack: str) -> Plan:
    """The plan of the second `pulumi up`: the root storage key switched on and the SQL
    warehouse that creates the evidence views named, as the README's steps say."""
    if stack not in _SECOND:
        project = Path(tempfile.mkdtemp())
        shutil.copytree(REPO / "stacks", project / "stacks")
        shutil.copy(REPO / "Pulumi.yaml", project / "Pulumi.yaml")
        estate = example_config(stack)
        estate["encryption"]["workspace_storage"] = True
        estate["evidence"]["sql_warehouse_id"] = WAREHOUSES[stack]
        write_stack(project, stack, estate)
        _SECOND[stack] = run_plan(project, stack)
    return _SECOND[stack]


def _one(plan: Plan, suffix: str, name_part: str = "") -> Any:
    (found,) = [r for r in of_type(plan, suffix) if name_part in r.name]
    return found


def _violations(plan: Plan, resources: list[Resource]) -> set[tuple[str, str]]:
    trust = Trust.from_raw_config(plan.stack, plan.config)
    found, _ = evaluate(resources, trust, plan.lookups, unknown_fails=True)
    return {(v.policy, v.urn) for v in found}


def _changed(plan: Plan, urn: str, change: Callable[[dict[str, Any]], None]) -> list[Resource]:
    """The plan's resources, with `change` applied to the props of the one registered as
    `urn`."""
    resources = []
    for resource in (r.as_resource() for r in plan.resources):
        if resource.urn == urn:
            props = dict(resource.props)
            change(props)
            resource = dataclasses.replace(resource, props=props)
        resources.append(resource)
    return resources


# --- Keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_the_key_vault_authorizes_by_rbac_and_keeps_deleted_keys(stack: str) -> None:
    """VaultPropertiesArgs (pulumi_azure_native.keyvault): access policies unless
    enable_rbac_authorization; purge protection "irreversible"; soft delete retention "accepts
    >=7 and <=90"; the firewall bypass "If not specified the default is 'AzureServices'"."""
    plan = example_plan(stack)
    vault = _one(plan, "keyvault:Vault")
    properties = vault.inputs["properties"]
    assert vault.inputs["vaultName"] == example_config(stack)["encryption"]["key_vault"]
    assert properties["enableRbacAuthorization"] is True
    assert properties["enablePurgeProtection"] is True
    assert properties["enableSoftDelete"] is True
    assert properties["softDeleteRetentionInDays"] == 90
    assert properties["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert vault.retain_on_delete and vault.protect == (stack == "prod")


@pytest.mark.parametrize("stack", STACKS)
def test_keys_expire_and_rotate_before_they_do(stack: str) -> None:
    """KeyAttributesArgs.expires: "Expiry date in seconds since 1970-01-01T00:00:00Z";
    KeyRotationPolicyAttributesArgs.expiry_time "ISO8601 format. Eg: 'P90D'"."""
    plan = example_plan(stack)
    config = example_config(stack)["encryption"]
    expires = datetime.datetime.fromisoformat(config["key_expires"]).replace(tzinfo=datetime.UTC)
    keys = of_type(plan, "keyvault:Key")
    assert sorted(k.inputs["keyName"] for k in keys) == [
        "managed-disks-key",
        "managed-services-key",
    ]
    for key in keys:
        properties = key.inputs["properties"]
        assert properties["kty"] == "RSA" and properties["keySize"] == 3072
        # Only what Key Vault Crypto Service Encryption User lets Azure Databricks do.
        assert properties["keyOps"] == ["wrapKey", "unwrapKey"]
        assert properties["attributes"] == {
            "enabled": True,
            "expires": int(expires.timestamp()),
            "exportable": False,
        }
        assert properties["rotationPolicy"] == {
            "attributes": {"expiryTime": "P365D"},
            "lifetimeActions": [
                {"action": {"type": "rotate"}, "trigger": {"timeBeforeExpiry": "P30D"}}
            ],
        }
        assert key.retain_on_delete and key.protect == (stack == "prod")


@pytest.mark.parametrize("stack", STACKS)
def test_only_azure_databricks_identities_use_the_keys(stack: str) -> None:
    """The reference grants Get, WrapKey and UnwrapKey to the AzureDatabricks application and
    to the workspace's storage and disk encryption identities (sra workspace/main.tf); in RBAC,
    Key Vault Crypto Service Encryption User."""
    plan = example_plan(stack)
    roles = [
        r
        for r in of_type(plan, "authorization:RoleAssignment")
        if r.inputs["roleDefinitionId"].endswith(KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER)
    ]
    workspace = _one(plan, "databricks:Workspace")
    principals = {r.inputs["principalId"] for r in roles}
    assert principals == {
        example_config(stack)["encryption"]["azure_databricks_object_id"],
        workspace.outputs["managedDiskIdentity"]["principalId"],
        workspace.outputs["storageAccountIdentity"]["principalId"],
    }
    assert all("/keys/managed-" in r.inputs["scope"] for r in roles)


@pytest.mark.parametrize("stack", STACKS)
def test_the_workspace_encrypts_with_versioned_keys_of_the_vault(stack: str) -> None:
    """EncryptionV2KeyVaultPropertiesArgs: key_name, key_vault_uri and key_version all
    required; the disks follow rotation (rotation_to_latest_key_version_enabled)."""
    plan = example_plan(stack)
    workspace = _one(plan, "databricks:Workspace")
    vault = example_config(stack)["encryption"]["key_vault"]
    entities = workspace.inputs["encryption"]["entities"]
    for entity, key in (
        ("managedServices", "managed-services-key"),
        ("managedDisk", "managed-disks-key"),
    ):
        properties = entities[entity]["keyVaultProperties"]
        assert entities[entity]["keySource"] == "Microsoft.Keyvault"
        assert properties["keyVaultUri"] == f"https://{vault}.vault.azure.net/"
        assert properties["keyName"] == key and len(properties["keyVersion"]) == 32
    assert entities["managedDisk"]["rotationToLatestKeyVersionEnabled"] is True
    parameters = workspace.inputs["parameters"]
    assert parameters["prepareEncryption"] == {"value": True}
    # The root storage's key needs the storage identity, which exists only after the first
    # `pulumi up`: the second one sets it.
    assert "encryption" not in parameters
    second = _one(second_step(stack), "databricks:Workspace").inputs["parameters"]
    assert second["encryption"]["value"]["keyName"] == "managed-disks-key"
    assert second["encryption"]["value"]["keySource"] == "Microsoft.Keyvault"


def test_the_workspace_waits_for_azure_databricks_to_reach_its_key() -> None:
    """Role assignments "can take up to 10 minutes" to take effect (vocabulary/waits.py)."""
    plan = example_plan("uat")
    workspace = _one(plan, "databricks:Workspace")
    grant = _one(plan, "authorization:RoleAssignment", "azure-databricks-services")
    wait = _one(plan, "time:index/sleep:Sleep", "azure-databricks-services")
    assert wait.urn in workspace.dependencies and grant.urn in wait.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_the_runner_may_create_keys_before_it_does(stack: str) -> None:
    """With RBAC authorization, creating a key through ARM checks the keys' data actions
    (pulumi/pulumi-azure-native#890): the runner holds Key Vault Crypto Officer on the vault,
    and the keys wait for it; later edits of a key are ignored (Keys_CreateIfNotExist)."""
    plan = example_plan(stack)
    runner = example_config(stack)["platform"]["runner"]["object_id"]
    officer = _one(plan, "authorization:RoleAssignment", "runner-manages-keys")
    assert officer.inputs["principalId"] == runner
    assert officer.inputs["roleDefinitionId"].endswith("14b46e9e-c2b7-41b4-b07b-48a6ebf60603")
    assert officer.inputs["scope"] == _one(plan, "keyvault:Vault").outputs["id"]
    wait = _one(plan, "time:index/sleep:Sleep", "runner-manages-keys")
    for key in of_type(plan, "keyvault:Key"):
        assert wait.urn in key.dependencies


# --- Enhanced security ------------------------------------------------------------------------


def test_prod_monitors_and_updates_its_compute_and_uat_leaves_the_add_on_alone() -> None:
    """EnhancedSecurityComplianceDefinitionArgs: values "Enabled"/"Disabled"; the compliance
    profile "is intended to be a permanent change" (Learn), so it is only an explicit opt-in."""
    prod = _one(example_plan("prod"), "databricks:Workspace").inputs
    assert prod["enhancedSecurityCompliance"] == {
        "enhancedSecurityMonitoring": {"value": "Enabled"},
        "automaticClusterUpdate": {"value": "Enabled"},
        "complianceSecurityProfile": {"value": "Disabled"},
    }
    assert (
        "enhancedSecurityCompliance" not in _one(example_plan("uat"), "databricks:Workspace").inputs
    )


# --- Logs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_every_log_of_the_workspace_and_the_blobs_goes_to_log_analytics(stack: str) -> None:
    plan = example_plan(stack)
    logs = _one(plan, "operationalinsights:Workspace")
    config = example_config(stack)["evidence"]["logs"]
    assert logs.inputs["workspaceName"] == config["workspace_name"]
    assert logs.inputs["retentionInDays"] == config["retention_days"]
    assert logs.inputs["sku"] == {"name": "PerGB2018"}
    workspace = _one(plan, "databricks:Workspace")
    account = _one(plan, "storage:StorageAccount")
    settings = {s.inputs["resourceUri"]: s.inputs for s in of_type(plan, "DiagnosticSetting")}
    assert set(settings) == {
        workspace.outputs["id"],
        f"{account.outputs['id']}/blobServices/default",
    }
    for setting in settings.values():
        assert setting["workspaceId"] == logs.outputs["id"]
        # Retention is the Log Analytics workspace's; diagnostic-setting retention is retired.
        assert setting["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]


@pytest.mark.parametrize("stack", STACKS)
def test_verbose_audit_logs_are_on(stack: str) -> None:
    conf = _one(example_plan(stack), ":WorkspaceConf")
    assert conf.inputs["customConfig"]["enableVerboseAuditLogs"] == "true"


# --- System tables and evidence views --------------------------------------------------------


def test_uat_alone_enables_the_system_schemas_and_never_billing() -> None:
    """Deleting a system schema disables it metastore-wide (terraform-provider-databricks
    system_schema delete: safeDisable): each is protected and kept."""
    schemas = of_type(example_plan("uat"), ":SystemSchema")
    uat = sorted(r.inputs["schema"] for r in schemas)
    assert uat == sorted(example_config("uat")["evidence"]["system_schemas"])
    assert "billing" not in uat
    assert all(r.protect and r.retain_on_delete for r in schemas)
    assert of_type(example_plan("prod"), ":SystemSchema") == []


@pytest.mark.parametrize("stack", STACKS)
def test_auditors_query_views_of_their_own_workspace(stack: str) -> None:
    assert of_type(example_plan(stack), ":SqlTable") == []  # no warehouse before the workspace
    plan = second_step(stack)
    config = example_config(stack)
    workspace_id = _one(plan, "databricks:Workspace").outputs["workspaceId"]
    views = {v.inputs["name"]: v.inputs for v in of_type(plan, ":SqlTable")}
    assert set(views) == {"audit_events", "permission_changes"}
    for view in views.values():
        assert view["tableType"] == "VIEW"
        assert view["catalogName"] == config["evidence"]["catalog_name"]
        assert view["warehouseId"] == WAREHOUSES[stack]
        assert view["owner"] == config["platform"]["runner"]["application_id"]
        assert (
            f"FROM system.access.audit WHERE workspace_id = '{workspace_id}'"
            in (view["viewDefinition"])
        )
    evidence_schema = f"{config['evidence']['catalog_name']}.audit_evidence"
    (grants,) = [g for g in of_type(plan, ":Grants") if g.inputs.get("schema") == evidence_schema]
    assert {g["principal"]: g["privileges"] for g in grants.inputs["grants"]} == {
        config["personas"]["auditors"]: ["USE_SCHEMA", "SELECT"],
        config["personas"]["platform_admins"]: ["USE_SCHEMA", "SELECT"],
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_view_owner_reads_the_audit_table_additively(stack: str) -> None:
    """`databricks.Grant` "is authoritative for grants on securables for a given singular
    principal"; `Grants` would overwrite every other team's grants on the system catalog."""
    plan = example_plan(stack)
    runner = example_config(stack)["platform"]["runner"]["application_id"]
    grants = {
        next(v for k, v in g.inputs.items() if k in ("catalog", "schema", "table")): g.inputs
        for g in of_type(plan, "/grant:Grant")
    }
    assert {k: (v["principal"], v["privileges"]) for k, v in grants.items()} == {
        "system": (runner, ["USE_CATALOG"]),
        "system.access": (runner, ["USE_SCHEMA"]),
        "system.access.audit": (runner, ["SELECT"]),
    }


# --- The rules, each broken by a plan without what it protects ------------------------------


def _workspace_without_keys(props: dict[str, Any]) -> None:
    props.pop("encryption")


def _vault_without_purge_protection(props: dict[str, Any]) -> None:
    props["properties"] = {**props["properties"], "enablePurgeProtection": False}


def _key_without_rotation(props: dict[str, Any]) -> None:
    props["properties"] = {**props["properties"], "rotationPolicy": None}


def _logs_to_a_storage_account(props: dict[str, Any]) -> None:
    props["storageAccountId"] = (
        "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z"
    )


def _grant_to_everyone(props: dict[str, Any]) -> None:
    props["principal"] = "account users"


@pytest.mark.parametrize(
    ("stack", "suffix", "name_part", "change", "rule"),
    [
        ("prod", "databricks:Workspace", "", _workspace_without_keys, "prod-customer-managed-keys"),
        ("uat", "keyvault:Vault", "", _vault_without_purge_protection, "key-vaults-protected"),
        ("prod", "keyvault:Key", "services", _key_without_rotation, "keys-expire-and-rotate"),
        (
            "uat",
            "DiagnosticSetting",
            "workspace",
            _logs_to_a_storage_account,
            "workspace-logs-collected",
        ),
        (
            "prod",
            "/grant:Grant",
            "reads-system-access-audit",
            _grant_to_everyone,
            "system-catalog-grants-additive",
        ),
    ],
)
def test_each_rule_breaks_on_what_it_protects(
    stack: str, suffix: str, name_part: str, change: Callable[[dict[str, Any]], None], rule: str
) -> None:
    plan = example_plan(stack)
    target = _one(plan, suffix, name_part)
    assert _violations(plan, [r.as_resource() for r in plan.resources]) == set()
    assert _violations(plan, _changed(plan, target.urn, change)) == {(rule, target.urn)}


@pytest.mark.parametrize("stack", STACKS)
def test_a_workspace_without_its_diagnostic_setting_is_caught(stack: str) -> None:
    plan = example_plan(stack)
    workspace = _one(plan, "databricks:Workspace")
    setting = _one(plan, "DiagnosticSetting", "databricks-workspace")
    resources = [r.as_resource() for r in plan.resources if r.urn != setting.urn]
    assert _violations(plan, resources) == {("workspace-logs-collected", workspace.urn)}


def test_auditors_without_their_grant_are_reported() -> None:
    plan = example_plan("uat")
    schema = _one(plan, ":Schema", "audit-evidence")
    grants = [
        g for g in of_type(plan, ":Grants") if g.inputs.get("schema", "").endswith("audit_evidence")
    ]
    resources = [r.as_resource() for r in plan.resources if r.urn != grants[0].urn]
    assert _violations(plan, resources) == {("auditors-read-evidence", schema.urn)}


def test_auditors_without_use_catalog_on_the_evidence_catalog_are_reported() -> None:
    plan = example_plan("uat")
    schema = _one(plan, ":Schema", "audit-evidence")
    (catalog_grants,) = [
        g for g in of_type(plan, ":Grants") if g.inputs.get("catalog") == "mlops_uat_evidence"
    ]
    resources = [r.as_resource() for r in plan.resources if r.urn != catalog_grants.urn]
    assert _violations(plan, resources) == {("auditors-read-evidence", schema.urn)}


def test_prod_may_not_declare_system_schemas() -> None:
    plan = example_plan("uat")
    trust = Trust.from_raw_config("prod", example_plan("prod").config)
    (schema, *_) = [r.as_resource() for r in of_type(plan, ":SystemSchema")]
    found, _ = evaluate([schema], trust)
    assert [(v.policy, v.urn) for v in found if v.policy == "system-schemas-declared-once"] == [
        ("system-schemas-declared-once", schema.urn)
    ]


# --- Keys, vault and logs, each rule's every check broken and kept --------------------------

_DELETE = object()


def _edit(*edits: tuple[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A change of a resource's props: each dotted path set to its value, or deleted."""

    def change(props: dict[str, Any]) -> None:
        for key in list(props):
            props[key] = copy.deepcopy(props[key])
        for path, value in edits:
            *parents, last = path.split(".")
            node = props
            for part in parents:
                node = node[part]
            if value is _DELETE:
                del node[last]
            else:
                node[last] = value

    return change


def _added(
    plan: Plan, template: str, name: str, change: Callable[[dict[str, Any]], None]
) -> tuple[list[Resource], str]:
    """The plan's resources and a copy of the one registered as `template`, named `name`,
    with `change` applied to its props; and the copy's URN."""
    resources = [r.as_resource() for r in plan.resources]
    (original,) = [r for r in resources if r.urn == template]
    props = copy.deepcopy(dict(original.props))
    change(props)
    urn = f"{original.urn.rsplit('::', 1)[0]}::{name}"
    return [*resources, dataclasses.replace(original, urn=urn, name=name, props=props)], urn


_ACTIONS = "properties.rotationPolicy.lifetimeActions"
_EXPIRY_TIME = "properties.rotationPolicy.attributes.expiryTime"


def _rotate(**trigger: str) -> list[dict[str, Any]]:
    return [{"action": {"type": "rotate"}, "trigger": trigger}]


@pytest.mark.parametrize(
    ("rule", "edits", "broken"),
    [
        ("keys-expire-and-rotate", [("properties.attributes.enabled", False)], True),
        ("keys-expire-and-rotate", [("properties.attributes.expires", _DELETE)], True),
        ("keys-expire-and-rotate", [(_EXPIRY_TIME, _DELETE)], True),
        ("keys-expire-and-rotate", [(_EXPIRY_TIME, "365 days")], True),
        (
            "keys-expire-and-rotate",
            [(_ACTIONS, [{"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}}])],
            True,
        ),
        ("keys-expire-and-rotate", [(_ACTIONS, [{"action": {"type": "rotate"}}])], True),
        ("keys-expire-and-rotate", [(_ACTIONS, _rotate(timeAfterCreate="P400D"))], True),
        # Twelve months may outlast a year (336 to 372 days against 365 or 366).
        (
            "keys-expire-and-rotate",
            [(_EXPIRY_TIME, "P1Y"), (_ACTIONS, _rotate(timeAfterCreate="P12M"))],
            True,
        ),
        ("keys-expire-and-rotate", [(_ACTIONS, _rotate(timeBeforeExpiry="P1Y"))], True),
        ("keys-expire-and-rotate", [(_ACTIONS, _rotate(timeBeforeExpiry="30 days"))], True),
        ("keys-expire-and-rotate", [("properties.attributes.enabled", _DELETE)], False),
        ("keys-expire-and-rotate", [(_ACTIONS, _rotate(timeAfterCreate="P335D"))], False),
        # Longer than encryption.key_lifetime_days (365 by default), or than a year may be.
        ("keys-expire-and-rotate", [(_EXPIRY_TIME, "P2Y")], True),
        ("keys-expire-and-rotate", [(_EXPIRY_TIME, "P1Y")], True),
        ("keys-expire-and-rotate", [(_EXPIRY_TIME, "P11M")], False),
        (
            "keys-expire-and-rotate",
            [(_EXPIRY_TIME, "P52W"), (_ACTIONS, _rotate(timeBeforeExpiry="P4W"))],
            False,
        ),
        (
            "keys-expire-and-rotate",
            [
                (
                    _ACTIONS,
                    [
                        *_rotate(timeBeforeExpiry="P30D"),
                        {"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P45D"}},
                    ],
                )
            ],
            False,
        ),
        ("keys-wrap-only", [("properties.keyOps", _DELETE)], True),
        ("keys-wrap-only", [("properties.keyOps", ["wrapKey", "unwrapKey", "decrypt"])], True),
        ("keys-wrap-only", [("properties.keyOps", ["sign"])], True),
        ("keys-wrap-only", [("properties.keyOps", ["unwrapKey", "wrapKey"])], False),
    ],
)
def test_a_key_is_judged_on_its_expiry_rotation_and_operations(
    rule: str, edits: list[tuple[str, Any]], broken: bool
) -> None:
    """KeyRotationPolicyAttributesArgs.expiry_time and TriggerArgs take ISO 8601 durations
    ("Eg: 'P90D', 'P1Y'"); a rotation at or after a version's expiry leaves the workspace a
    key it can no longer use."""
    plan = example_plan("prod")
    key = _one(plan, "keyvault:Key", "services")
    expected = {(rule, key.urn)} if broken else set()
    assert _violations(plan, _changed(plan, key.urn, _edit(*edits))) == expected


@pytest.mark.parametrize(("lifetime_days", "broken"), [(364, True), (365, False)])
def test_a_keys_versions_live_no_longer_than_the_config_says(
    lifetime_days: int, broken: bool
) -> None:
    """The estate's keys' versions live P365D; the rule takes the bound from the config."""
    config = example_config("prod")
    config["encryption"]["key_lifetime_days"] = lifetime_days
    key = _one(example_plan("prod"), "keyvault:Key", "services")
    found, _ = evaluate([key.as_resource()], Trust.from_raw_config("prod", config))
    expected = [("keys-expire-and-rotate", key.urn)] if broken else []
    assert [(v.policy, v.urn) for v in found if v.policy == "keys-expire-and-rotate"] == expected


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("P90D", (90, 90)),
        ("P2Y", (730, 732)),
        ("P4W", (28, 28)),
        ("P1M2D", (30, 33)),
        ("P1Y6M", (533, 552)),
        ("P", None),
        ("90D", None),
        ("P1.5Y", None),
        ("PT12H", None),
        ("p90d", None),
        (90, None),
    ],
)
def test_iso_8601_durations_are_read_as_a_range_of_days(value: object, days: object) -> None:
    assert duration_days(value) == days


@pytest.mark.parametrize(
    ("edits", "broken"),
    [
        # VaultPropertiesArgs: without enable_rbac_authorization the vault uses access
        # policies, which no rule sees; purge protection is off unless set.
        ([("properties.enableRbacAuthorization", _DELETE)], True),
        ([("properties.enablePurgeProtection", _DELETE)], True),
        ([("properties.enableSoftDelete", False)], True),
        # Soft delete "will be set to true by default".
        ([("properties.enableSoftDelete", _DELETE)], False),
    ],
)
def test_a_vault_without_rbac_or_purge_protection_is_caught(
    edits: list[tuple[str, Any]], broken: bool
) -> None:
    plan = example_plan("uat")
    vault = _one(plan, "keyvault:Vault")
    expected = {("key-vaults-protected", vault.urn)} if broken else set()
    assert _violations(plan, _changed(plan, vault.urn, _edit(*edits))) == expected


@pytest.mark.parametrize(
    "logs",
    [
        [{"categoryGroup": "audit", "enabled": True}],
        [{"categoryGroup": "allLogs", "enabled": False}],
        [{"categoryGroup": "allLogs", "enabled": True}, {"category": "accounts", "enabled": False}],
        [],
    ],
)
def test_a_weaker_second_setting_on_the_workspace_is_caught(logs: list[dict[str, Any]]) -> None:
    """One good setting does not excuse another: each setting on the workspace is judged."""
    plan = example_plan("uat")
    setting = _one(plan, "DiagnosticSetting", "databricks-workspace")
    resources, second = _added(
        plan, setting.urn, "second", _edit(("name", "second"), ("logs", logs))
    )
    assert _violations(plan, resources) == {("workspace-logs-collected", second)}


@pytest.mark.parametrize(
    ("path", "respell"),
    [
        ("name", lambda name: name),
        ("name", str.upper),
        ("resourceUri", str.upper),
        ("resourceUri", lambda uri: f"{uri}/"),
        ("resourceUri", lambda uri: uri.replace("/providers/", "//providers/")),
    ],
    ids=["same", "name-in-capitals", "resource-in-capitals", "trailing-slash", "doubled-slash"],
)
def test_a_diagnostic_setting_declared_twice_is_caught_on_both(
    path: str, respell: Callable[[str], str]
) -> None:
    """A diagnostic setting is <resource>/providers/Microsoft.Insights/diagnosticSettings/<name>
    in ARM ids, which are case-insensitive: the second declaration replaces the first, however
    its id is spelled."""
    plan = example_plan("prod")
    setting = _one(plan, "DiagnosticSetting", "databricks-workspace")
    edit = _edit((path, respell(setting.inputs[path])))
    resources, twin = _added(plan, setting.urn, "twin", edit)
    assert _violations(plan, resources) == {
        ("workspace-logs-collected", twin),
        ("workspace-logs-collected", setting.urn),
    }


@pytest.mark.parametrize("respell", [str.lower, str.upper])
def test_logs_sent_to_the_configured_name_instead_of_an_id_are_caught(
    respell: Callable[[str], str],
) -> None:
    """The stack creates its Log Analytics workspace under the configured name; a destination
    is a workspace's id ("workspace_id: The full ARM resource ID of the Log Analytics workspace",
    pulumi_azure_native DiagnosticSettingArgs), and the name is none."""
    plan = example_plan("uat")
    name = example_config("uat")["evidence"]["logs"]["workspace_name"]
    setting = _one(plan, "DiagnosticSetting", "databricks-workspace")
    workspace = _one(plan, "databricks:Workspace")
    changed = _changed(plan, setting.urn, _edit(("workspaceId", respell(name))))
    assert _violations(plan, changed) == {
        ("workspace-logs-collected", setting.urn),
        ("workspace-logs-collected", workspace.urn),  # and it has no setting that sends them
    }


def test_settings_of_one_name_on_different_resources_are_kept() -> None:
    plan = example_plan("uat")
    settings = of_type(plan, "DiagnosticSetting")
    assert len({s.inputs["name"] for s in settings}) == 1 < len(settings)
    assert _violations(plan, [r.as_resource() for r in plan.resources]) == set()


LOG_ANALYTICS_CONTRIBUTOR = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"
DATA_PURGER = "150f5e0c-0603-4f03-8c7f-cf70034c4e90"
SOMEONE = "12121212-1212-4121-8121-121212121212"


@pytest.mark.parametrize(
    ("principal", "role", "scope", "rules"),
    [
        ("deployer", LOG_ANALYTICS_CONTRIBUTOR, "logs", {"logs-out-of-reach"}),
        ("deployer", CONTRIBUTOR, "group", {"logs-out-of-reach"}),
        ("runner", DATA_PURGER, "logs/tables/DatabricksAccounts", {"logs-out-of-reach"}),
        (
            "connector",
            LOG_ANALYTICS_CONTRIBUTOR,
            "workspace/providers/Microsoft.Insights/diagnosticSettings/to-estate-log-analytics",
            {"logs-out-of-reach"},
        ),
        ("connector", CONTRIBUTOR, "account", {"logs-out-of-reach"}),
        # A persona is refused any role but Reader already; the logs' rule refuses it too.
        (
            SOMEONE,
            DATA_PURGER,
            "logs",
            {"logs-out-of-reach", "role-assignments-declared-principals"},
        ),
        ("deployer", READER, "logs", set()),
        ("connector", CONTRIBUTOR, "look-alike-account", set()),
        ("deployer", CONTRIBUTOR, "group/providers/Microsoft.Network/virtualNetworks/v", set()),
    ],
)
def test_roles_that_reach_the_logs_are_caught(
    principal: str, role: str, scope: str, rules: set[str]
) -> None:
    """Log Analytics Contributor holds Microsoft.OperationalInsights/* and
    Microsoft.Insights/diagnosticSettings/*, Data Purger workspaces/purge/action (Learn,
    built-in roles: monitor); a role applies to everything below its scope."""
    plan = example_plan("uat")
    config = example_config("uat")
    group = (
        f"/subscriptions/{config['azure']['subscription_id']}/resourceGroups/"
        f"{config['azure']['resource_group']}"
    )
    scopes = {
        "group": group,
        "logs": _one(plan, "operationalinsights:Workspace").outputs["id"],
        "workspace": _one(plan, "databricks:Workspace").outputs["id"],
        "account": _one(plan, "storage:StorageAccount").outputs["id"],
    }
    scopes["look-alike-account"] = f"{scopes['account']}2"
    first, _, rest = scope.partition("/")
    template = _one(plan, "authorization:RoleAssignment", "connector-blob-contributor")
    principals = {
        "deployer": _one(plan, "UserAssignedIdentity").outputs["principalId"],
        "runner": config["platform"]["runner"]["object_id"],
        "connector": template.inputs["principalId"],
    }
    resources, added = _added(
        plan,
        template.urn,
        "added-role",
        _edit(
            ("principalId", principals.get(principal, principal)),
            ("roleDefinitionId", role_definition_id(config["azure"]["subscription_id"], role)),
            ("scope", "/".join(filter(None, (scopes[first], rest)))),
        ),
    )
    assert _violations(plan, resources) == {(rule, added) for rule in rules}


EXISTING_LOGS = (
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-landing-zone/"
    "providers/Microsoft.OperationalInsights/workspaces/log-landing-zone"
)


@pytest.mark.parametrize(
    ("destination", "broken"),
    [
        (EXISTING_LOGS, False),
        (EXISTING_LOGS.upper(), False),
        (f"{EXISTING_LOGS}/", False),
        ("log-landing-zone", True),
        (EXISTING_LOGS.replace("log-landing-zone", "log-elsewhere"), True),
    ],
)
def test_logs_sent_to_an_existing_workspace_are_judged_by_its_id(
    destination: str, broken: bool
) -> None:
    config = example_config("uat")
    config["evidence"]["logs"] = {"existing_workspace_id": EXISTING_LOGS}
    plan = example_plan("uat")
    setting = _one(plan, "DiagnosticSetting", "databricks-workspace")
    changed = _changed(plan, setting.urn, _edit(("workspaceId", destination)))
    found, _ = evaluate(changed, Trust.from_raw_config("uat", config))
    judged = {(v.policy, v.urn) for v in found if v.urn == setting.urn}
    assert judged == ({("workspace-logs-collected", setting.urn)} if broken else set())


def test_roles_on_an_existing_log_analytics_workspace_are_caught() -> None:
    existing = EXISTING_LOGS
    config = example_config("uat")
    config["evidence"]["logs"] = {"existing_workspace_id": existing}
    plan = example_plan("uat")
    template = _one(plan, "authorization:RoleAssignment", "connector-blob-contributor")
    resources, added = _added(
        plan,
        template.urn,
        "purges-the-landing-zone-logs",
        _edit(("roleDefinitionId", DATA_PURGER), ("scope", existing.upper())),
    )
    found, _ = evaluate(
        [r for r in resources if r.urn == added], Trust.from_raw_config("uat", config)
    )
    assert {(v.policy, v.urn) for v in found if v.policy == "logs-out-of-reach"} == {
        ("logs-out-of-reach", added)
    }


@pytest.mark.parametrize(("days", "accepted"), [(29, False), (30, True), (730, True), (731, False)])
def test_log_retention_is_what_a_log_analytics_workspace_keeps(days: int, accepted: bool) -> None:
    config = example_config("uat")
    config["evidence"]["logs"]["retention_days"] = days
    if accepted:
        assert parse_estate_config(config, stack="uat").evidence.logs.retention_days == days
        return
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(config, stack="uat")
    assert [path for path, _ in raised.value.problems] == [
        "mlops-estate:estate.evidence.logs.retention_days"
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_example_stacks_hold_the_second_step_and_it_keeps_every_rule(stack: str) -> None:
    """The root storage key and the evidence views' warehouse are the second `pulumi up`
    (README, "Keys, security features and evidence"): each stack file holds both keys."""
    assert example_config(stack)["encryption"]["workspace_storage"] is False
    assert (
        f"# sql_warehouse_id: {WAREHOUSES[stack]}\n" in (REPO / f"Pulumi.{stack}.yaml").read_text()
    )
    assert second_step(stack).violations == []


ID = "/subscriptions/s/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv"


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (ID, ID.upper(), True),
        (ID, f"{ID}/", True),
        (ID, ID.replace("/providers/", "//providers/"), True),
        # A segment more or less is another resource.
        (ID, ID.rsplit("/", 1)[0], False),
        (ID, f"{ID}/keys/k", False),
        # A look-alike letter is another name: the Kelvin sign is not the letter k.
        (ID, ID.replace("rg-keys", "rg-\u212aeys"), False),
        # Nothing names nothing, and only strings name resources.
        ("", "", False),
        ("/", "//", False),
        (None, None, False),
        ([ID], [ID], False),
    ],
)
def test_azure_ids_compare_by_one_key(left: object, right: object, same: bool) -> None:
    assert same_id(left, right) is same
    assert same_id(right, left) is same
