"""Rules that span keys of the stack config; each problem names the key that has to change."""

from __future__ import annotations

from .errors import Problem, key_path
from .schema import EstateConfig

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
    return problems


def _network_problems(config: EstateConfig) -> list[Problem]:
    if config.network.public_network_access == "Disabled" and config.network.vnet_injection is None:
        return [
            (
                key_path("network", "vnet_injection"),
                "required when public_network_access is Disabled (private link needs VNet "
                "injection)",
            )
        ]
    return []


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


def cross_key_problems(config: EstateConfig) -> list[Problem]:
    """Every rule that spans keys, in the order of the config's sections."""
    return [
        *_environment_problems(config),
        *_catalog_problems(config),
        *_network_problems(config),
        *_uniqueness_problems(config),
        *_folder_problems(config),
    ]
