"""`estate plan` on the example estate: what it registers, its outputs, files and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from support.plans import REPO, example_plan, of_type
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.commands.plan.aliases import DuplicateClaim, claimed_urns, make_urn
from mlops_estate.commands.plan.runner import run_plan

FOUNDATION_TYPES = [
    "azure-native:resources:ResourceGroup",
    "azure-native:storage:StorageAccount",
    "azure-native:databricks:AccessConnector",
    "azure-native:authorization:RoleAssignment",
    "azure-native:databricks:Workspace",
    "databricks:index/metastoreAssignment:MetastoreAssignment",
]


def invoke(*args: str):
    return CliRunner().invoke(app, ["plan", *args])


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_example_stack_plans_clean(stack: str) -> None:
    result = invoke("--stack", stack, "--cwd", str(REPO), "--no-tree")
    assert result.exit_code == 0, result.output
    plan = example_plan(stack)
    types = [resource.type for resource in plan.resources]
    # Unity Catalog's access connector, and the workspace's for its root storage; the
    # connector's data role, the runner's on the Key Vault, and the key roles of Azure
    # Databricks' three identities.
    counts = {
        "azure-native:databricks:AccessConnector": 2,
        "azure-native:authorization:RoleAssignment": 5,
    }
    for typ in FOUNDATION_TYPES:
        assert types.count(typ) == counts.get(typ, 1), typ
    providers = {r.name: r.inputs for r in of_type(plan, "pulumi:providers:databricks")}
    assert set(providers) == {"databricks-account", "databricks-workspace"}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_storage_account_is_hardened(stack: str) -> None:
    (account,) = of_type(example_plan(stack), "storage:StorageAccount")
    assert account.inputs["isHnsEnabled"] is True
    assert account.inputs["enableHttpsTrafficOnly"] is True
    assert account.inputs["minimumTlsVersion"] == "TLS1_2"
    assert account.inputs["allowBlobPublicAccess"] is False
    assert account.inputs["kind"] == "StorageV2"


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_workspace_is_premium_with_secure_cluster_connectivity(stack: str) -> None:
    (workspace,) = of_type(example_plan(stack), "databricks:Workspace")
    assert workspace.inputs["sku"] == {"name": "premium"}
    assert workspace.inputs["parameters"]["enableNoPublicIp"] == {"value": True}
    assert workspace.inputs["workspaceName"] == f"dbw-mlops-{stack}"


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_example_workspaces_are_private_and_vnet_injected(stack: str) -> None:
    (workspace,) = of_type(example_plan(stack), "databricks:Workspace")
    assert workspace.inputs["publicNetworkAccess"] == "Disabled"
    assert workspace.inputs["requiredNsgRules"] == "NoAzureDatabricksRules"
    assert workspace.inputs["parameters"]["customVirtualNetworkId"]["value"].endswith(
        f"/virtualNetworks/vnet-mlops-{stack}"
    )
    assert workspace.inputs["parameters"]["customPrivateSubnetName"] == {
        "value": "snet-databricks-container"
    }


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_access_connector_can_write_the_catalog_storage(stack: str) -> None:
    plan = example_plan(stack)
    (connector,) = [
        c
        for c in of_type(plan, "databricks:AccessConnector")
        if c.inputs["connectorName"] == f"ac-mlops-{stack}"
    ]
    (assignment,) = [
        r
        for r in of_type(plan, "authorization:RoleAssignment")
        if r.inputs["principalId"] == plan.outputs["azure"]["access_connector_principal_id"]
    ]
    assert connector.inputs["identity"] == {"type": "SystemAssigned"}
    assert assignment.inputs["roleDefinitionId"].endswith(
        "/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    )
    assert assignment.inputs["scope"].endswith(
        f"/providers/Microsoft.Storage/storageAccounts/stmlops{stack}catalog"
    )
    assert (
        assignment.inputs["principalId"] == plan.outputs["azure"]["access_connector_principal_id"]
    )


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_metastore_assigned_to_the_workspace(stack: str) -> None:
    plan = example_plan(stack)
    (assignment,) = of_type(plan, ":MetastoreAssignment")
    assert assignment.inputs == {
        "metastoreId": "44444444-4444-4444-8444-444444444444",
        "workspaceId": plan.outputs["workspace"]["id"],
    }
    assert assignment.provider.endswith("pulumi:providers:databricks::databricks-account")


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_workspace_provider_targets_the_workspace(stack: str) -> None:
    plan = example_plan(stack)
    (provider,) = [r for r in plan.resources if r.name == "databricks-workspace"]
    assert provider.inputs["host"] == plan.outputs["workspace"]["host"]
    assert provider.inputs["azureWorkspaceResourceId"] == plan.outputs["workspace"]["resource_id"]
    assert not {"token", "clientSecret", "azureClientSecret", "password"} & set(provider.inputs)


def test_prod_protects_workspace_storage_and_assignment_and_uat_does_not() -> None:
    protected = {
        stack: {r.type for r in example_plan(stack).resources if r.protect}
        for stack in ("uat", "prod")
    }
    assert protected["prod"] == {
        "azure-native:databricks:Workspace",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:databricks:AccessConnector",
        "azure-native:managedidentity:UserAssignedIdentity",
        "databricks:index/workspaceConf:WorkspaceConf",
        "databricks:index/catalog:Catalog",
        "databricks:index/schema:Schema",
        "databricks:index/metastoreAssignment:MetastoreAssignment",
        "azure-native:keyvault:Vault",
        "azure-native:keyvault:Key",
        "azure-native:operationalinsights:Workspace",
    }
    # Deleting a system schema disables it for the whole metastore: protected wherever it is.
    assert protected["uat"] == {"databricks:index/systemSchema:SystemSchema"}


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_outputs_name_the_workspace_and_resources(stack: str) -> None:
    outputs = example_plan(stack).outputs
    workspace = outputs["workspace"]
    assert workspace["host"] == f"https://{workspace['url']}"
    assert workspace["url"].startswith(f"adb-{workspace['id']}.")
    assert len(workspace["id"]) == 16 and workspace["id"].isdigit()
    assert outputs["azure"]["resource_group"] == f"rg-mlops-{stack}"
    assert outputs["azure"]["catalog_storage_root"] == (
        f"abfss://catalog@stmlops{stack}catalog.dfs.core.windows.net/"
    )


def test_one_environment_component_holds_the_estate() -> None:
    plan = example_plan("uat")
    (environment,) = of_type(plan, "mlops-estate:estate:Environment")
    assert environment.parent.endswith("::pulumi:pulumi:Stack::mlops-estate-uat")
    at_root = sorted(r.name for r in plan.resources if r.parent == environment.parent)
    assert at_root == ["azure", "databricks-account", "databricks-workspace", "uat"]
    (workspace_component,) = of_type(plan, "mlops-estate:azure:AzureWorkspace")
    (storage_component,) = of_type(plan, "mlops-estate:azure:CatalogStorageAccount")
    assert of_type(plan, ":Workspace")[0].parent == workspace_component.urn
    assert of_type(plan, ":StorageAccount")[0].parent == storage_component.urn
    assert workspace_component.parent == storage_component.parent == environment.urn


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_every_moved_resource_is_covered_by_an_alias(stack: str) -> None:
    """A stack deployed before the Environment component existed sees no replacement.

    Every URN of that layout (tests/fixtures) is still a resource's URN, or is taken over by
    exactly one resource through an alias on itself or inherited from its parent, as the Pulumi
    engine resolves them (claimed_urns raises if two resources claim one old URN). What is gone
    is gone on purpose: the old AzureEnvironment component, which held no cloud resource; the
    BROWSE grant on the catalog storage's location, a privilege documented for catalogs only;
    and the token permissions, which the estate manages only once tokens are on. What is new
    is the waits, and the `users` group's entitlements.
    """
    before = (
        (REPO / "tests" / "fixtures" / f"urns-before-environment-component-{stack}.txt")
        .read_text()
        .split()
    )
    plan = example_plan(stack)
    claims = claimed_urns(plan.resources, before)
    kept = {r.urn for r in plan.resources} & set(before)
    removed = [urn.rsplit("::", 1)[1] for urn in set(before) - kept - set(claims.values())]
    assert sorted(removed) == sorted(
        [stack, f"{stack}-catalog-storage-location-grants", f"{stack}-hardening-token-usage"]
    )
    # No cloud resource of the old layout is created anew: each kept its URN or took over one.
    added = {r.name for r in plan.resources if r.custom and r.urn not in kept | set(claims)}
    # The private network (tests/test_network.py), the keys and the evidence
    # (tests/test_evidence.py) are new: the components that hold them.
    new_components = {
        "azure:WorkspaceNetwork",
        "azure:PrivateLink",
        "workspace:ServerlessNetwork",
        "azure:CustomerManagedKeys",
        "azure:DiagnosticLogs",
        "unitycatalog:AuditEvidence",
    }
    added -= {
        r.name
        for r in plan.resources
        if any(f"mlops-estate:{component}" in r.urn for component in new_components)
        or r.name == f"{stack}-workspace-access-connector"
    }
    assert added == {
        f"{stack}-workspace-access-principals-visible",
        f"{stack}-workspace-access-users-entitlements",
        f"{stack}-storage-access-propagated",
        f"{stack}-compute-builtin-personal-compute-permissions",
    }


def test_a_claim_follows_the_parent_it_took_over() -> None:
    """A child inherits only the old URN its parent actually claimed, the first that exists."""
    root = "urn:pulumi:uat::p::pulumi:pulumi:Stack::p-uat"

    def registration(type_: str, name: str, parent: str, aliases: list) -> SimpleNamespace:
        urn = make_urn("uat", "p", parent, type_, name)
        return SimpleNamespace(urn=urn, type=type_, name=name, parent=parent, aliases=aliases)

    component = registration("x:C", "environment", root, [{"name": "old"}, {"name": "older"}])
    child = registration("x:R", "environment-bucket", component.urn, [])
    old, older = "urn:pulumi:uat::p::x:C::old", "urn:pulumi:uat::p::x:C::older"
    old_child = "urn:pulumi:uat::p::x:C$x:R::old-bucket"
    older_child = "urn:pulumi:uat::p::x:C$x:R::older-bucket"
    # The component takes over its first alias that exists; the child follows that one only,
    # with the old parent's name as its prefix.
    everything = {old, older, old_child, older_child}
    assert claimed_urns([component, child], everything) == {
        component.urn: old,
        child.urn: old_child,
    }
    assert claimed_urns([component, child], everything - {old_child}) == {component.urn: old}
    # Two resources claiming one old URN is refused, as the engine refuses it.
    twin = registration("x:R", "twin", root, [{"urn": old_child}])
    with pytest.raises(DuplicateClaim, match="old-bucket"):
        claimed_urns([component, child, twin], everything)


def test_workspace_conf_outlives_its_resource() -> None:
    """Deleting a WorkspaceConf resets every enable*/enforce* key to false (its docstring)."""
    for stack in ("uat", "prod"):
        (conf,) = of_type(example_plan(stack), ":WorkspaceConf")
        assert conf.retain_on_delete is True


def test_json_is_byte_identical_and_has_the_documented_fields(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for path in (first, second):
        assert invoke("--stack", "prod", "--cwd", str(REPO), "--json", str(path)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    assert {"project", "stack", "resources", "outputs", "violations"} <= set(document)
    assert document["project"] == "mlops-estate" and document["stack"] == "prod"
    assert document["violations"] == []
    for resource in document["resources"]:
        assert {"urn", "type", "name", "parent", "inputs", "protect"} <= set(resource)


def test_markdown_lists_counts_and_resources(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    assert invoke("--stack", "uat", "--cwd", str(REPO), "--markdown", str(path)).exit_code == 0
    text = path.read_text()
    assert "## Estate plan: `mlops-estate` / `uat`" in text
    assert "| `azure-native:databricks:Workspace` | 1 |" in text
    assert "`uat-workspace`" in text


def test_terminal_summary_shows_counts_and_tree() -> None:
    result = invoke("--stack", "uat", "--cwd", str(REPO))
    assert "azure-native:databricks:Workspace" in result.output
    assert "uat-workspace" in result.output and "uat-storage" in result.output


def test_program_error_exits_2_without_traceback_unless_debug(project: Path) -> None:
    (project / "stacks" / "__main__.py").write_text("raise KeyError('boom')\n")
    result = invoke("--stack", "uat", "--cwd", str(project))
    assert result.exit_code == 2
    assert "program error" in result.output and "KeyError" in result.output
    assert "Traceback" not in result.output
    debug = invoke("--stack", "uat", "--cwd", str(project), "--debug")
    assert debug.exit_code == 2 and "Traceback" in debug.output


def test_missing_stack_file_exits_2_naming_the_file(project: Path) -> None:
    result = invoke("--stack", "staging", "--cwd", str(project))
    assert result.exit_code == 2
    assert "Pulumi.staging.yaml" in result.output and "prod, uat" in result.output


def test_non_python_project_exits_2(project: Path) -> None:
    (project / "Pulumi.yaml").write_text("name: other\nruntime: nodejs\n")
    result = invoke("--stack", "uat", "--cwd", str(project))
    assert result.exit_code == 2 and "nodejs" in result.output


def test_secure_config_values_plan_with_a_placeholder(project: Path) -> None:
    (project / "stacks" / "__main__.py").write_text(
        "import pulumi\npulumi.export('token_set', pulumi.Config().require_secret('token')"
        ".apply(lambda t: t == '[secret]'))\n"
    )
    stack_file = project / "Pulumi.uat.yaml"
    stack_file.write_text(
        stack_file.read_text() + "  mlops-estate:token:\n    secure: AAABAJ1xZ2FzZA==\n"
    )
    result = invoke("--stack", "uat", "--cwd", str(project), "--json", str(project / "p.json"))
    assert result.exit_code == 0, result.output
    assert json.loads((project / "p.json").read_text())["outputs"] == {"token_set": True}


def test_a_project_without_the_estate_config_cannot_be_judged(project: Path) -> None:
    (project / "Pulumi.uat.yaml").write_text("config:\n  mlops-estate:other: 1\n")
    result = invoke("--stack", "uat", "--cwd", str(project))
    assert result.exit_code == 2
    assert "mlops-estate:estate: required key is missing" in result.output


def test_a_relative_project_folder_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    plan = run_plan(Path("."), "uat")
    assert plan.violations == [] and plan.outputs == example_plan("uat").outputs


@pytest.mark.parametrize("command", [[], ["plan"], ["audit"], ["report"]])
def test_help_shows_no_type_markers_and_keeps_sentences_whole(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert not re.search(r"<(bool|str|int)[^>]*>", result.output), result.output
    if command == ["audit"]:
        assert (
            "unified authentication (environment variables, Azure CLI, OIDC), and sends "
            "credentials only to the workspaces"
        ) in result.output
