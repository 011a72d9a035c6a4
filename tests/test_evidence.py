"""Customer-managed keys, the enhanced security features, diagnostic logs and the audit
evidence, in the example plans; and the rules that keep each, broken by a plan that removes
or weakens what it protects."""

from __future__ import annotations

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
from mlops_estate.rules import Resource, Trust, evaluate
from mlops_estate.vocabulary.azure import KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER

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
        assert view["catalogName"] == config["catalogs"]["governed"]
        assert view["warehouseId"] == WAREHOUSES[stack]
        assert view["owner"] == config["platform"]["runner"]["application_id"]
        assert (
            f"FROM system.access.audit WHERE workspace_id = '{workspace_id}'"
            in (view["viewDefinition"])
        )
    evidence_schema = f"{config['catalogs']['governed']}.audit_evidence"
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


def test_prod_may_not_declare_system_schemas() -> None:
    plan = example_plan("uat")
    trust = Trust.from_raw_config("prod", example_plan("prod").config)
    (schema, *_) = [r.as_resource() for r in of_type(plan, ":SystemSchema")]
    found, _ = evaluate([schema], trust)
    assert [(v.policy, v.urn) for v in found if v.policy == "system-schemas-declared-once"] == [
        ("system-schemas-declared-once", schema.urn)
    ]
