"""Stack config validation: each rule has a config that breaks it and the examples that keep it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.network_configs import NETWORK_CONFIGS
from support.plans import example_config, write_stack
from typer.testing import CliRunner

from mlops_estate.cli import app
from mlops_estate.commands.plan.runner import PlanFailure, run_plan
from mlops_estate.config import ConfigError, parse_estate_config

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    """A change that sets a dotted path (list indexes as numbers) in the estate config."""

    def change(estate: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node: Any = estate
        for part in parents:
            node = node[part]
        node[last] = value

    return change


def _delete(path: str) -> Change:
    def change(estate: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = estate
        for part in parents:
            node = node[part]
        del node[last]

    return change


def _append_project(name: str) -> Change:
    return lambda estate: estate["projects"].append({"name": name})


# (id, stack, change, key path named in the error, words the message must contain)
BAD_CONFIGS: list[tuple[str, str, Change, str, str]] = [
    (
        "subscription-not-uuid",
        "uat",
        _set("azure.subscription_id", "my-subscription"),
        "mlops-estate:estate.azure.subscription_id",
        "a UUID",
    ),
    (
        "metastore-not-uuid",
        "prod",
        _set("databricks.metastore_id", "1234"),
        "mlops-estate:estate.databricks.metastore_id",
        "a UUID",
    ),
    (
        "catalog-name-with-dash",
        "uat",
        _set("catalogs.governed", "mlops-uat"),
        "mlops-estate:estate.catalogs.governed",
        "Unity Catalog name",
    ),
    (
        "schema-name-uppercase",
        "uat",
        _set("catalogs.feature_development_schema", "Features"),
        "mlops-estate:estate.catalogs.feature_development_schema",
        "lowercase",
    ),
    (
        "project-name-invalid",
        "uat",
        _set("projects.1.name", "Demand Forecast"),
        "mlops-estate:estate.projects[1].name",
        "lowercase letters",
    ),
    (
        "project-name-duplicate",
        "uat",
        _append_project("churn"),
        "mlops-estate:estate.projects[3].name",
        "duplicates projects[0].name",
    ),
    (
        "folder-under-shared",
        "uat",
        _set("folders.deployment.0", "/Shared/mlops"),
        "mlops-estate:estate.folders.deployment[0]",
        "/Shared or /Users",
    ),
    (
        "folder-under-users",
        "uat",
        _set("folders.pr_validation", "/Users/ci@contoso.com/pr"),
        "mlops-estate:estate.folders.pr_validation",
        "/Shared or /Users",
    ),
    (
        "folder-relative",
        "prod",
        _set("folders.deployment.0", "Deployments/mlops"),
        "mlops-estate:estate.folders.deployment[0]",
        "absolute workspace path",
    ),
    (
        "folder-dotdot",
        "prod",
        _set("folders.deployment.0", "/Deployments/../Shared"),
        "mlops-estate:estate.folders.deployment[0]",
        "must not lie under /Shared or /Users",
    ),
    (
        "folders-nested",
        "uat",
        _set("folders.deployment", ["/Deployments", "/Deployments/a"]),
        "mlops-estate:estate.folders.deployment[1]",
        "not nested",
    ),
    (
        "repository-malformed",
        "uat",
        _set("deployer.github.0.repository", "ml-projects"),
        "mlops-estate:estate.deployer.github[0].repository",
        "ORG/REPO",
    ),
    (
        "development-catalog-in-prod",
        "prod",
        _set("catalogs.development", "mlops_dev"),
        "mlops-estate:estate.catalogs.development",
        "only in the uat",
    ),
    (
        "pr-validation-in-prod",
        "prod",
        _set("folders.pr_validation", "/PRValidation"),
        "mlops-estate:estate.folders.pr_validation",
        "only in the uat",
    ),
    (
        "unknown-key",
        "uat",
        _set("azure.subscription", "x"),
        "mlops-estate:estate.azure.subscription",
        "unknown key; allowed keys here: access_connector",
    ),
    (
        "unknown-top-level-key",
        "prod",
        _set("catalog", {}),
        "mlops-estate:estate.catalog",
        "allowed keys here: access, allowed_resource_types, azure, catalogs",
    ),
    (
        "missing-key",
        "uat",
        _delete("personas.auditors"),
        "mlops-estate:estate.personas.auditors",
        "required key is missing",
    ),
    (
        "environment-unknown",
        "uat",
        _set("environment", "dev"),
        "mlops-estate:estate.environment",
        "'uat' or 'prod'",
    ),
    (
        "no-network",
        "uat",
        _delete("network.create"),
        "mlops-estate:estate.network.create",
        "give exactly one of network.create",
    ),
    (
        "network-access-typo",
        "uat",
        _set("network.public_network_access", "enabled"),
        "mlops-estate:estate.network.public_network_access",
        "'Enabled' or 'Disabled'",
    ),
    (
        "storage-account-uppercase",
        "uat",
        _set("azure.storage_account", "StMlops"),
        "mlops-estate:estate.azure.storage_account",
        "lowercase letters and digits",
    ),
    (
        "secret-bearing-auth-type",
        "uat",
        _set("databricks.auth_type", "pat"),
        "mlops-estate:estate.databricks.auth_type",
        "'azure-cli'",
    ),
    (
        "persona-groups-shared",
        "uat",
        _set("personas.auditors", "ml-data-scientists"),
        "mlops-estate:estate.personas.auditors",
        "each persona needs its own group",
    ),
    (
        "no-deployer-federation",
        "prod",
        _set("deployer.github", []),
        "mlops-estate:estate.deployer.github",
        "at least 1 item",
    ),
    (
        "prod-deployer-trusts-another-environment",
        "prod",
        _set("deployer.github.0.environment", "prod-preview"),
        "mlops-estate:estate.deployer.github[0].environment",
        "the Prod deployer trusts only jobs in the GitHub environment 'prod'",
    ),
    *NETWORK_CONFIGS,
    # github-oidc needs a Databricks client id, env-oidc a token variable, file-oidc a token
    # file: nothing in the estate sets them (databricks-sdk-go config/auth_*.go).
    *(
        (
            f"auth-type-{auth_type}-not-configured",
            "uat",
            _set("databricks.auth_type", auth_type),
            "mlops-estate:estate.databricks.auth_type",
            "'azure-cli' or 'github-oidc-azure'",
        )
        for auth_type in ("github-oidc", "env-oidc", "file-oidc")
    ),
    (
        "base-tag-overridden",
        "uat",
        _set("azure.tags.environment", "prod"),
        "mlops-estate:estate.azure.tags.environment",
        "set on every resource",
    ),
    (
        "customer-managed-keys-off-in-prod",
        "prod",
        lambda estate: estate["encryption"].update(
            customer_managed_keys=False, workspace_storage=False
        ),
        "mlops-estate:estate.encryption.customer_managed_keys",
        "microsoft_managed_keys_reason",
    ),
    (
        "log-retention-too-short",
        "uat",
        _set("evidence.logs.retention_days", 7),
        "mlops-estate:estate.evidence.logs.retention_days",
        "30",
    ),
    (
        "key-vault-name-azure-rejects",
        "prod",
        _set("encryption.key_vault", "kv--mlops-prod"),
        "mlops-estate:estate.encryption.key_vault",
        "without consecutive hyphens",
    ),
    (
        "compliance-profile-without-standards",
        "prod",
        _set("enhanced_security", {"compliance_security_profile": {"enabled": True}}),
        "mlops-estate:estate.enhanced_security.compliance_security_profile.standards",
        "needs its standards",
    ),
    (
        "key-expiry-not-a-date",
        "uat",
        _set("encryption.key_expires", "31/01/2028"),
        "mlops-estate:estate.encryption.key_expires",
        "a quoted date such as",
    ),
    (
        "keys-without-the-azure-databricks-identity",
        "prod",
        _delete("encryption.azure_databricks_object_id"),
        "mlops-estate:estate.encryption.azure_databricks_object_id",
        "required with customer-managed keys",
    ),
    (
        "workspace-storage-key-without-keys",
        "uat",
        lambda estate: estate["encryption"].update(
            customer_managed_keys=False, workspace_storage=True
        ),
        "mlops-estate:estate.encryption.workspace_storage",
        "needs customer_managed_keys",
    ),
    (
        "key-rotated-within-a-week-of-its-creation",
        "prod",
        lambda estate: estate["encryption"].update(
            key_lifetime_days=30, rotate_before_expiry_days=24
        ),
        "mlops-estate:estate.encryption.rotate_before_expiry_days",
        "at least 7 days shorter than key_lifetime_days",
    ),
    (
        "base-tag-overridden-in-another-case",
        "prod",
        _set("azure.tags.Managed-By", "someone-else"),
        "mlops-estate:estate.azure.tags.Managed-By",
        "tag names are case-insensitive",
    ),
    (
        "too-many-federated-credentials",
        "uat",
        _set(
            "deployer.github",
            [{"repository": f"contoso/repo-{n}", "environment": "uat"} for n in range(21)],
        ),
        "mlops-estate:estate.deployer.github",
        "at most 20 federated credentials",
    ),
    (
        "federated-subject-twice",
        "uat",
        _set(
            "deployer.github",
            [{"repository": "contoso/ml-projects", "environment": "uat"}] * 2,
        ),
        "mlops-estate:estate.deployer.github[1]",
        "duplicates deployer.github[0]",
    ),
    (
        "browse-on-schemas",
        "uat",
        _set(
            "access",
            {
                "project_schemas": {
                    "data_scientists": ["USE_SCHEMA"],
                    "ml_engineers": ["USE_SCHEMA"],
                    "platform_admins": ["USE_SCHEMA"],
                    "auditors": ["BROWSE"],
                }
            },
        ),
        "mlops-estate:estate.access.project_schemas.auditors[0]",
        "'BROWSE' does not apply to a schema (Unity Catalog accepts BROWSE on catalogs only)",
    ),
    (
        "consumer-access-with-workspace-access",
        "uat",
        _set("workspace", {"entitlements": {"auditors": {"workspace_consume": True}}}),
        "mlops-estate:estate.workspace.entitlements.auditors.workspace_consume",
        "consumer access excludes workspace_access",
    ),
    (
        "token-permissions-without-tokens",
        "prod",
        _set("workspace", {"tokens": {"manage_permissions": True}}),
        "mlops-estate:estate.workspace.tokens.manage_permissions",
        "needs workspace.tokens.enabled",
    ),
    (
        "personal-compute-unknown",
        "prod",
        _set("databricks.personal_compute", "OFF"),
        "mlops-estate:estate.databricks.personal_compute",
        "'ON' or 'DELEGATE'",
    ),
]


@pytest.mark.parametrize(
    ("stack", "change", "path", "words"),
    [case[1:] for case in BAD_CONFIGS],
    ids=[c[0] for c in BAD_CONFIGS],
)
def test_bad_config_names_the_key(stack: str, change: Change, path: str, words: str) -> None:
    estate = example_config(stack)
    change(estate)
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(estate, stack=stack)
    assert [p for p, _ in raised.value.problems] == [path]
    assert words in str(raised.value)


@pytest.mark.parametrize("stack", ["prod", "prod-westeurope"])
def test_a_stack_named_for_its_environment_is_accepted(stack: str) -> None:
    assert parse_estate_config(example_config("prod"), stack=stack).environment == "prod"


@pytest.mark.parametrize("stack", ["staging", "uat", "production", "uat-prod"])
def test_the_environment_must_be_the_one_the_stack_name_says(project: Path, stack: str) -> None:
    """A Prod config under another stack's name would be judged as that stack's environment."""
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(example_config("prod"), stack=stack)
    assert raised.value.problems == [
        (
            "mlops-estate:estate.environment",
            f"'prod' does not match the stack {stack!r}: a prod stack is named prod or "
            "prod-<suffix>",
        )
    ]
    write_stack(project, stack, example_config("prod"))
    result = CliRunner().invoke(app, ["plan", "--stack", stack, "--cwd", str(project)])
    assert result.exit_code == 2
    assert f"mlops-estate:estate.environment: 'prod' does not match the stack {stack!r}" in (
        result.output
    )


@pytest.mark.parametrize("stack", ["uat", "prod"])
def test_examples_are_valid(stack: str) -> None:
    config = parse_estate_config(example_config(stack))
    assert config.environment == stack


def test_missing_estate_key_is_named() -> None:
    with pytest.raises(ConfigError, match="mlops-estate:estate: required key is missing"):
        parse_estate_config(None)


def test_every_problem_is_reported_at_once() -> None:
    estate = example_config("uat")
    _set("azure.tenant_id", "x")(estate)
    _set("catalogs.governed", "A")(estate)
    with pytest.raises(ConfigError) as raised:
        parse_estate_config(estate)
    assert {p for p, _ in raised.value.problems} == {
        "mlops-estate:estate.azure.tenant_id",
        "mlops-estate:estate.catalogs.governed",
    }


@pytest.mark.parametrize(
    ("stack", "change", "path"),
    [case[1:4] for case in BAD_CONFIGS],
    ids=[c[0] for c in BAD_CONFIGS],
)
def test_bad_config_exits_2_naming_the_key_and_registers_nothing(
    project: Path, stack: str, change: Change, path: str
) -> None:
    estate = example_config(stack)
    change(estate)
    write_stack(project, stack, estate)
    result = CliRunner().invoke(app, ["plan", "--stack", stack, "--cwd", str(project)])
    assert result.exit_code == 2
    assert path in result.output and "Traceback" not in result.output
    with pytest.raises(PlanFailure) as raised:
        run_plan(project, stack)
    assert raised.value.registered == []


def test_cli_exit_2_with_the_key_and_no_traceback(project: Path) -> None:
    estate = example_config("uat")
    _set("projects.1.name", "Bad-Name")(estate)
    write_stack(project, "uat", estate)
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project)])
    assert result.exit_code == 2
    assert "mlops-estate:estate.projects[1].name" in result.output
    assert "Traceback" not in result.output


# Stack files the Pulumi CLI refuses (gopkg.in/yaml.v3): each gives exit 2 and the line.
BILLION_LAUGHS = "\n".join(
    [
        "  bomb:",
        '    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"    {level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]"
            for previous, level in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
REFUSED_STACK_FILES = [
    (
        "duplicated-key",
        lambda text: text.replace(
            "public_network_access: Disabled",
            "public_network_access: Disabled\n      public_network_access: Enabled",
            1,
        ),
        'line {line}: mapping key "public_network_access" already defined at line {previous}',
    ),
    (
        "alias-bomb",
        lambda text: text.replace("config:\n", f"config:\n{BILLION_LAUGHS}\n", 1),
        "line 6: document contains excessive aliasing",
    ),
    (
        "non-string-key",
        lambda text: text.replace(
            "    environment: uat\n", "    environment: uat\n    1: one\n", 1
        ),
        "line {line}: a mapping key must be a string",
    ),
    (
        "self-containing-anchor",
        lambda text: text.replace("config:\n", "config:\n  loop: &loop [*loop]\n", 1),
        "line 5: an anchor's value contains itself",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [case[1:] for case in REFUSED_STACK_FILES],
    ids=[case[0] for case in REFUSED_STACK_FILES],
)
def test_a_stack_file_the_pulumi_cli_refuses_exits_2_with_the_line(
    project: Path, tmp_path: Path, change: Callable[[str], str], message: str
) -> None:
    plan = tmp_path / "plan.json"
    assert (
        CliRunner().invoke(app, ["plan", "--cwd", str(project), "--json", str(plan)]).exit_code == 0
    )
    path = project / "Pulumi.uat.yaml"
    text = change(path.read_text())
    path.write_text(text)
    lines = text.splitlines()
    marker = next(
        (
            i
            for i, line in enumerate(lines, 1)
            if line.strip() in ("public_network_access: Enabled", "1: one")
        ),
        0,
    )
    expected = message.format(line=marker, previous=marker - 1)
    for command in (
        ["plan", "--stack", "uat", "--cwd", str(project)],
        ["check", str(plan), "--config", str(path)],
    ):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert f"{path}: {expected}" in " ".join(result.output.split())
        assert "Traceback" not in result.output


def test_an_alias_within_bounds_is_read_as_the_cli_reads_it(project: Path) -> None:
    path = project / "Pulumi.uat.yaml"
    text = path.read_text().replace(
        "config:\n",
        "config:\n  mlops-estate:labels: &labels {team: ml}\n  mlops-estate:copy: *labels\n",
        1,
    )
    path.write_text(text)
    result = CliRunner().invoke(app, ["plan", "--stack", "uat", "--cwd", str(project)])
    assert result.exit_code == 0, result.output
