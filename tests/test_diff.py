"""`estate diff`: what a change does to the estate, from two offline plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.plans import REPO, add_to_program, example_config, with_extra_program, write_stack
from typer.testing import CliRunner

from mlops_estate.cli import app

runner = CliRunner()
EXTRA_GRANT = (
    'databricks.Grants("{name}", schema="mlops_prod.churn_models", grants=[{{'
    '"principal": "ml-engineers", "privileges": ["MODIFY"]}}], opts=opts)\n'
)


def plan(project: Path, stack: str, out: Path) -> Path:
    result = runner.invoke(
        app, ["plan", "--stack", stack, "--cwd", str(project), "--json", str(out), "--no-tree"]
    )
    assert result.exit_code in (0, 1), result.output
    return out


def diff(base: Path, head: Path, tmp_path: Path) -> tuple[dict, str]:
    result = runner.invoke(
        app,
        [
            "diff",
            str(base),
            str(head),
            "--json",
            str(tmp_path / "diff.json"),
            "--markdown",
            str(tmp_path / "diff.md"),
        ],
    )
    assert result.exit_code == 0, result.output
    return (json.loads((tmp_path / "diff.json").read_text()), (tmp_path / "diff.md").read_text())


def test_unchanged_estate_gives_an_empty_diff(tmp_path: Path) -> None:
    base = plan(REPO, "uat", tmp_path / "base.json")
    head = plan(REPO, "uat", tmp_path / "head.json")
    result, markdown = diff(base, head, tmp_path)
    assert result == {
        "stack": "uat",
        "trust_changed": [],
        "access_gained": [],
        "access_lost": [],
        "added": [],
        "removed": [],
        "moved": [],
        "renamed": [],
        "changed": [],
    }
    assert "No changes." in markdown


def test_a_new_privilege_is_access_gained(tmp_path: Path, project: Path) -> None:
    base = plan(project, "uat", tmp_path / "base.json")
    estate = example_config("uat")
    readers = ["USE_SCHEMA", "SELECT", "EXECUTE"]
    estate["access"] = {
        "project_schemas": {
            "data_scientists": readers,
            "ml_engineers": [*readers, "READ_VOLUME"],
            "platform_admins": readers,
            "auditors": [],
        }
    }
    write_stack(project, "uat", estate)
    head = plan(project, "uat", tmp_path / "head.json")
    result, markdown = diff(base, head, tmp_path)
    gained = {(a["principal"], a["on"], a["access"]) for a in result["access_gained"]}
    assert ("ml-engineers", "schema mlops_uat.churn_models", "READ_VOLUME") in gained
    assert len(gained) == 6  # features and models schemas of three projects
    assert result["access_lost"] == []
    assert "| `ml-engineers` | privilege `READ_VOLUME` | `schema mlops_uat.churn_models` |" in (
        markdown
    )
    changed = {c["urn"].rsplit("::", 1)[1] for c in result["changed"]}
    assert "uat-governed-churn-models-grants" in changed


def test_a_removed_binding_is_access_lost(tmp_path: Path, project: Path) -> None:
    with_extra_program(
        project,
        "prod",
        'databricks.WorkspaceBinding("extra", securable_name='
        '"mlops_prod", workspace_id="42", opts=opts)\n',
    )
    base = plan(project, "prod", tmp_path / "base.json")
    (project / "stacks" / "__main__.py").write_text((REPO / "stacks" / "__main__.py").read_text())
    head = plan(project, "prod", tmp_path / "head.json")
    result, markdown = diff(base, head, tmp_path)
    assert result["access_lost"] == [
        {
            "principal": "workspace 42",
            "kind": "binding",
            "on": "catalog mlops_prod",
            "access": "BINDING_TYPE_READ_WRITE",
        }
    ]
    assert [urn.rsplit("::", 1)[1] for urn in result["removed"]] == ["extra"]
    assert "### Access lost" in markdown


def test_a_renamed_resource_is_a_rename_not_an_access_change(tmp_path: Path, project: Path) -> None:
    main = project / "stacks" / "__main__.py"
    original = main.read_text()
    with_extra_program(project, "prod", EXTRA_GRANT.format(name="old-name"))
    base = plan(project, "prod", tmp_path / "base.json")
    main.write_text(original)
    with_extra_program(project, "prod", EXTRA_GRANT.format(name="new-name"))
    head = plan(project, "prod", tmp_path / "head.json")
    result, markdown = diff(base, head, tmp_path)
    assert [
        (r["from"].rsplit("::", 1)[1], r["to"].rsplit("::", 1)[1]) for r in result["renamed"]
    ] == [("old-name", "new-name")]
    assert result["added"] == result["removed"] == []
    assert result["access_gained"] == result["access_lost"] == []
    assert "No access is gained or lost." in markdown and "renamed" in markdown


def test_diff_prints_markdown_by_default(tmp_path: Path) -> None:
    base = plan(REPO, "prod", tmp_path / "base.json")
    result = runner.invoke(app, ["diff", str(base), str(base)])
    assert result.exit_code == 0 and "## Estate diff: `prod`" in result.output


# Hand-written access paths (tests/escapes) and the access `estate diff` must show for each.
ACCESS_PATHS = {
    "an-admin-assignment": (
        "ml-engineers",
        "workspace assignment",
        "workspace {workspace}",
        "ADMIN",
    ),
    "a-workspace-admin-by-name": ("ml-engineers", "workspace assignment", "the workspace", "ADMIN"),
    "a-user-joins-admins": ("principal 1234", "membership", "admins", "member"),
    "an-account-admin-role": ("group 1234", "account role", "the account", "account_admin"),
    "humans-act-as-the-deployer": (
        "groups/ml-engineers",
        "rule set role",
        "accounts/x/servicePrincipals/y/ruleSets/default",
        "roles/servicePrincipal.user",
    ),
    "owner-role-for-a-group": (
        "Azure principal 12121212-1212-4121-8121-121212121212",
        "Azure role",
        "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-mlops-uat/"
        "providers/Microsoft.Storage/storageAccounts/stmlopsuatcatalog",
        "Owner",
    ),
    "a-federated-credential-for-pull-requests": (
        "https://token.actions.githubusercontent.com subject repo:contoso/ml-projects:pull_request",
        "federated credential",
        "managed identity id-mlops-deployer-uat",
        "sign in as",
    ),
    "a-federation-policy-for-a-whole-organisation": (
        "https://token.actions.githubusercontent.com repository_owner=contoso",
        "federation policy",
        "service principal 1",
        "sign in as",
    ),
    "a-schema-owned-by-account-users": ("account users", "owner", "schema mlops_uat.x", "OWNER"),
    "hive-table-acls": ("ml-engineers", "hive privilege", "hive table t", "MODIFY"),
}


@pytest.fixture(scope="module")
def uat_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan(REPO, "uat", tmp_path_factory.mktemp("base") / "base.json")


@pytest.mark.parametrize("escape", sorted(ACCESS_PATHS))
def test_every_access_path_is_access_gained(
    escape: str, uat_base: Path, tmp_path: Path, project: Path
) -> None:
    add_to_program(project, (REPO / "tests" / "escapes" / f"{escape}.py").read_text())
    head = plan(project, "uat", tmp_path / "head.json")
    result, markdown = diff(uat_base, head, tmp_path)
    workspace = json.loads(head.read_text())["outputs"]["workspace"]["id"]
    principal, kind, on, access = ACCESS_PATHS[escape]
    expected = {
        "principal": principal,
        "kind": kind,
        "on": on.format(workspace=workspace),
        "access": access,
    }
    assert result["access_gained"] == [expected]
    assert result["access_lost"] == []
    assert "No access is gained or lost." not in markdown


def test_a_change_of_trust_comes_first(uat_base: Path, tmp_path: Path, project: Path) -> None:
    estate = example_config("uat")
    estate["allowed_resource_types"] = [
        {"type": "databricks:index/cluster:Cluster", "reason": "a shared cluster for the demo"}
    ]
    estate["personas"]["auditors"] = "contractors"
    write_stack(project, "uat", estate)
    head = plan(project, "uat", tmp_path / "head.json")
    result, markdown = diff(uat_base, head, tmp_path)
    assert result["trust_changed"] == [
        {
            "what": "persona_groups",
            "before": sorted(example_config("uat")["personas"].values()),
            "after": sorted(
                {**example_config("uat")["personas"], "auditors": "contractors"}.values()
            ),
        },
        {
            "what": "allowed_types",
            "before": {},
            "after": {"databricks:index/cluster:Cluster": "a shared cluster for the demo"},
        },
        {
            "what": "auditors",
            "before": example_config("uat")["personas"]["auditors"],
            "after": "contractors",
        },
    ]
    assert markdown.index("### Trust changed") < markdown.index("### Access")


def test_an_aliased_move_is_a_move_not_a_rename(tmp_path: Path, project: Path) -> None:
    main = project / "stacks" / "__main__.py"
    original = main.read_text()
    with_extra_program(project, "prod", EXTRA_GRANT.format(name="old-name"))
    base = plan(project, "prod", tmp_path / "base.json")
    main.write_text(original)
    with_extra_program(
        project,
        "prod",
        EXTRA_GRANT.format(name="new-name").replace(
            "opts=opts)",
            "opts=opts.merge(pulumi.ResourceOptions(aliases=[pulumi.Alias(name='old-name')])))",
        ),
    )
    head = plan(project, "prod", tmp_path / "head.json")
    result, markdown = diff(base, head, tmp_path)
    grants = "urn:pulumi:prod::mlops-estate::databricks:index/grants:Grants::"
    assert result["moved"] == [{"from": grants + "old-name", "to": grants + "new-name"}]
    assert result["renamed"] == result["added"] == result["removed"] == []
    assert "(aliased: the resource is kept)" in markdown


def test_plans_of_two_stacks_are_not_compared(tmp_path: Path) -> None:
    uat = plan(REPO, "uat", tmp_path / "uat.json")
    prod = plan(REPO, "prod", tmp_path / "prod.json")
    result = runner.invoke(app, ["diff", str(uat), str(prod)])
    assert result.exit_code == 2
    assert "the base is the stack 'uat' and the head 'prod'" in result.output
