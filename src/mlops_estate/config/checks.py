"""Rules that span keys of the stack config; each problem names the key that has to change."""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from ..vocabulary.unity_catalog import invalid_privileges
from .errors import Problem, key_path
from .network import network_problems
from .schema import EstateConfig
from .security import EVIDENCE_CATALOG_SUFFIX
from .values import UcName

# Tags the estate sets on every Azure resource; azure.tags adds to them, never replaces them.
BASE_TAGS = ("environment", "managed-by")

# "A maximum of 20 federated identity credentials can be added to an application or
# user-assigned managed identity", and "the combination of issuer and subject must be unique"
# (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations).
MAX_FEDERATED_CREDENTIALS = 20

# The GitHub environment of Prod deployments: protected by required reviewers and a
# deployment branch policy (README, "Security model").
PROD_GITHUB_ENVIRONMENT = "prod"


def _environment_problems(config: EstateConfig) -> list[Problem]:
    problems: list[Problem] = []
    if config.environment != "uat":
        if config.catalogs.development is not None:
            problems.append(
                (
                    key_path("catalogs", "development"),
                    "the development catalog is declared only in the uat environment",
                )
            )
        if config.folders.pr_validation is not None:
            problems.append(
                (
                    key_path("folders", "pr_validation"),
                    "the PR-validation folder exists only in the uat environment",
                )
            )
    if config.environment == "prod":
        for index, trust in enumerate(config.deployer.github):
            if trust.environment != PROD_GITHUB_ENVIRONMENT:
                problems.append(
                    (
                        key_path("deployer", "github", index, "environment"),
                        f"{trust.environment!r} is not allowed: the Prod deployer trusts "
                        f"only jobs in the GitHub environment "
                        f"{PROD_GITHUB_ENVIRONMENT!r}, which only release branches "
                        "may deploy from",
                    )
                )
        for role, granted in config.workspace.entitlements:
            for entitlement in ("allow_cluster_create", "allow_instance_pool_create"):
                if getattr(granted, entitlement):
                    problems.append(
                        (
                            key_path("workspace", "entitlements", role, entitlement),
                            "must be false in prod: no human group creates clusters "
                            "or instance pools there",
                        )
                    )
    return problems


def _catalog_problems(config: EstateConfig) -> list[Problem]:
    problems: list[Problem] = []
    source_catalog = config.promotion.source_catalog
    path = key_path("promotion", "source_catalog")
    if config.environment == "prod" and source_catalog is None:
        problems.append((path, "required in prod: the UAT catalog that holds the model schemas"))
    if config.environment == "uat" and source_catalog is not None:
        problems.append((path, "set only in prod; nothing is bound into UAT"))
    if source_catalog is not None and source_catalog == config.catalogs.governed:
        problems.append((path, "must be the UAT catalog, not this environment's governed catalog"))
    if config.catalogs.development == config.catalogs.governed:
        problems.append((key_path("catalogs", "development"), "must differ from catalogs.governed"))
    return [*problems, *_evidence_catalog_problems(config)]


def _evidence_catalog_problems(config: EstateConfig) -> list[Problem]:
    """The evidence catalog is a catalog of its own: the deployer's privileges on the governed
    catalog inherit to everything in it, so the evidence may not lie there."""
    path = key_path("evidence", "catalog_name")
    name = config.evidence.catalog(config.catalogs.governed)
    if config.evidence.catalog_name is None:
        try:
            TypeAdapter(UcName).validate_python(name)
        except ValidationError as error:
            return [
                (
                    path,
                    f"unset, so catalogs.governed with {EVIDENCE_CATALOG_SUFFIX!r}: "
                    f"{error.errors()[0]['msg']}; set a name",
                )
            ]
    others = (
        ("catalogs.governed", config.catalogs.governed),
        ("catalogs.development", config.catalogs.development),
        ("promotion.source_catalog", config.promotion.source_catalog),
    )
    return [(path, f"must differ from {key} ({name!r})") for key, other in others if other == name]


def _network_problems(config: EstateConfig) -> list[Problem]:
    azure = config.azure
    problems = network_problems(
        config.network,
        azure.subscription_id,
        azure.location,
        config.environment,
        config.customer_managed_keys,
    )
    for key, other in (
        ("workspace_storage_account", "storage_account"),
        ("workspace_access_connector", "access_connector"),
    ):
        if getattr(azure, key) == getattr(azure, other):
            problems.append(
                (
                    key_path("azure", key),
                    f"must differ from azure.{other}: the workspace's root storage and Unity "
                    "Catalog's storage are kept apart",
                )
            )
    return problems


def _azure_problems(config: EstateConfig) -> list[Problem]:
    # "Tag names are case-insensitive for operations"
    # (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources).
    return [
        (
            key_path("azure", "tags", tag),
            f"{tag!r} is the estate's {base!r} tag, set on every resource (tag names are "
            "case-insensitive); azure.tags may add tags, not replace it",
        )
        for tag in config.azure.tags
        for base in BASE_TAGS
        if tag.casefold() == base
    ]


def _deployer_problems(config: EstateConfig) -> list[Problem]:
    github = config.deployer.github
    problems: list[Problem] = []
    if len(github) > MAX_FEDERATED_CREDENTIALS:
        problems.append(
            (
                key_path("deployer", "github"),
                f"{len(github)} entries: a managed identity holds at most "
                f"{MAX_FEDERATED_CREDENTIALS} federated credentials",
            )
        )
    seen: dict[tuple[str, str], int] = {}
    for index, trust in enumerate(github):
        key = (trust.repository, trust.environment)
        if key in seen:
            problems.append(
                (
                    key_path("deployer", "github", index),
                    f"duplicates deployer.github[{seen[key]}]: each repository and "
                    "environment (the token's subject) may be trusted once",
                )
            )
        seen.setdefault(key, index)
    return problems


def _access_problems(config: EstateConfig) -> list[Problem]:
    """Each configured privilege is one Unity Catalog accepts on the securable it is granted on."""
    problems: list[Problem] = []
    places = (
        ("governed_catalog", "catalog", config.access.governed_catalog.model_dump()),
        ("project_schemas", "schema", config.access.project_schemas.model_dump()),
    )
    for key, securable, by_role in places:
        for role, privileges in by_role.items():
            for index, privilege in enumerate(privileges):
                if invalid_privileges(securable, [privilege]):
                    problems.append(
                        (
                            key_path("access", key, role, index),
                            f"{privilege!r} does not apply to a {securable} (Unity Catalog "
                            "accepts BROWSE on catalogs only)"
                            if privilege == "BROWSE"
                            else f"{privilege!r} does not apply to a {securable}",
                        )
                    )
    return problems


def _workspace_problems(config: EstateConfig) -> list[Problem]:
    problems: list[Problem] = []
    for role, granted in config.workspace.entitlements:
        if granted.workspace_consume and (
            granted.workspace_access or granted.databricks_sql_access
        ):
            problems.append(
                (
                    key_path("workspace", "entitlements", role, "workspace_consume"),
                    "consumer access excludes workspace_access and databricks_sql_access: "
                    "set both false, or this false",
                )
            )
    tokens = config.workspace.tokens
    if tokens.manage_permissions and not tokens.enabled:
        problems.append(
            (
                key_path("workspace", "tokens", "manage_permissions"),
                "needs workspace.tokens.enabled: there are no token permissions to manage "
                "while tokens are off",
            )
        )
    return problems


def _uniqueness_problems(config: EstateConfig) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, project in enumerate(config.projects):
        if project.name in seen:
            problems.append(
                (
                    key_path("projects", index, "name"),
                    f"{project.name!r} duplicates projects[{seen[project.name]}].name; "
                    "project names must be unique",
                )
            )
        seen.setdefault(project.name, index)
    by_group: dict[str, str] = {}
    for role, group in config.personas.model_dump().items():
        if group in by_group:
            problems.append(
                (
                    key_path("personas", role),
                    f"{group!r} is already the {by_group[group]} group; each persona "
                    "needs its own group",
                )
            )
        by_group.setdefault(group, role)
    return problems


def _folder_problems(config: EstateConfig) -> list[Problem]:
    """Estate folders are distinct and not nested: one folder's access list would cover another."""
    labelled = [
        (("folders", "deployment", index), folder)
        for index, folder in enumerate(config.folders.deployment)
    ]
    if config.folders.pr_validation:
        labelled.append((("folders", "pr_validation"), config.folders.pr_validation))
    problems: list[Problem] = []
    for index, (parts, folder) in enumerate(labelled):
        for earlier_parts, earlier in labelled[:index]:
            if (folder + "/").startswith(earlier + "/") or (earlier + "/").startswith(folder + "/"):
                earlier_label = key_path(*earlier_parts).split(".", 1)[1]
                problems.append(
                    (
                        key_path(*parts),
                        f"{folder!r} overlaps {earlier_label} ({earlier!r}); estate "
                        "folders must be distinct and not nested",
                    )
                )
                break
    return problems


def _security_problems(config: EstateConfig) -> list[Problem]:
    encryption, enhanced, evidence = config.encryption, config.enhanced_security, config.evidence
    is_prod = config.environment == "prod"
    problems: list[Problem] = []
    keys_on = config.customer_managed_keys
    if is_prod and not keys_on and not encryption.microsoft_managed_keys_reason:
        problems.append(
            (
                key_path("encryption", "customer_managed_keys"),
                "Prod uses customer-managed keys: leave this on, or give "
                "encryption.microsoft_managed_keys_reason",
            )
        )
    if encryption.microsoft_managed_keys_reason and (not is_prod or keys_on):
        problems.append(
            (
                key_path("encryption", "microsoft_managed_keys_reason"),
                "only for Prod with customer_managed_keys false",
            )
        )
    if keys_on:
        for key in ("key_vault", "azure_databricks_object_id", "key_expires"):
            if getattr(encryption, key) is None:
                problems.append(
                    (key_path("encryption", key), "required with customer-managed keys")
                )
    elif encryption.workspace_storage:
        problems.append(
            (key_path("encryption", "workspace_storage"), "needs customer_managed_keys")
        )
    # "Rotation time: key rotation interval, the minimum value is seven days from creation and
    # seven days from expiration time" (Learn, key-vault/keys/how-to-configure-key-rotation).
    if encryption.rotate_before_expiry_days > encryption.key_lifetime_days - 7:
        problems.append(
            (
                key_path("encryption", "rotate_before_expiry_days"),
                "must be at least 7 days shorter than key_lifetime_days: Key Vault rotates a "
                "version no sooner than 7 days after its creation",
            )
        )
    profile = enhanced.compliance_security_profile
    if profile.enabled and not profile.standards:
        problems.append(
            (
                key_path("enhanced_security", "compliance_security_profile", "standards"),
                "the compliance security profile needs its standards, such as [HIPAA]",
            )
        )
    if profile.standards and not profile.enabled:
        problems.append(
            (
                key_path("enhanced_security", "compliance_security_profile", "standards"),
                "standards need compliance_security_profile.enabled",
            )
        )
    if profile.enabled:
        # "If the compliance security profile is enabled, [enhanced security monitoring and
        # automatic cluster update are] automatically enabled" (Databricks docs); declaring
        # them off would fight the profile.
        for key in ("monitoring", "automatic_cluster_update"):
            if getattr(enhanced, key) is False:
                problems.append(
                    (key_path("enhanced_security", key), "is on whenever the compliance profile is")
                )
    logs = evidence.logs
    if (logs.existing_workspace_id is None) == (logs.workspace_name is None):
        problems.append(
            (
                key_path("evidence", "logs", "workspace_name"),
                "give exactly one of workspace_name (the estate creates it) and "
                "existing_workspace_id",
            )
        )
    return problems


def cross_key_problems(config: EstateConfig) -> list[Problem]:
    """Every rule that spans keys, in the order of the config's sections."""
    return [
        *_environment_problems(config),
        *_azure_problems(config),
        *_catalog_problems(config),
        *_network_problems(config),
        *_deployer_problems(config),
        *_access_problems(config),
        *_workspace_problems(config),
        *_uniqueness_problems(config),
        *_folder_problems(config),
        *_security_problems(config),
    ]
