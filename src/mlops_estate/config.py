"""The typed stack config: one `mlops-estate:estate` object per stack, validated once.

Every key is checked here, before any resource is registered, so a typo in
`Pulumi.<stack>.yaml` fails the plan with the key path instead of failing in Azure.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal

import pulumi
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .unity_catalog_terms import (
    DEVELOPMENT_CATALOG_PRIVILEGES,
    HUMAN_GOVERNED_PRIVILEGES,
    PRIVILEGES,
)
from .workspace_terms import HUMAN_FOLDER_LEVELS, PERMISSION_LEVELS

CONFIG_NAMESPACE = "mlops-estate"
CONFIG_KEY = "estate"
CONFIG_ROOT = f"{CONFIG_NAMESPACE}:{CONFIG_KEY}"

Environment = Literal["uat", "prod"]


class ConfigError(pulumi.RunError):
    """Invalid stack config. Pulumi prints a RunError without a traceback."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = [f"{path}: {message}" for path, message in problems]
        super().__init__("invalid stack config\n  " + "\n  ".join(lines))


def _reject(value: str, allowed: str) -> PydanticCustomError:
    return PydanticCustomError("estate_value", f"{value!r} is not allowed: {allowed}")


def _rule(pattern: str, allowed: str) -> Callable[[str], str]:
    """A validator that accepts strings matching `pattern` and otherwise says what is allowed."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise _reject(value, allowed)
        return value

    return check


def _uuid(value: str) -> str:
    try:
        canonical = str(uuid.UUID(value)) == value.lower()
    except ValueError:
        canonical = False
    if not canonical:
        raise _reject(value, "a UUID such as 00000000-0000-0000-0000-000000000000")
    return value


FORBIDDEN_FOLDER_ROOTS = ("/Shared", "/Users")


def _workspace_folder(value: str) -> str:
    segments = value.split("/")
    if len(segments) > 1 and segments[1].lower() in {r.strip("/").lower()
                                                     for r in FORBIDDEN_FOLDER_ROOTS}:
        raise _reject(value, "estate folders must not lie under /Shared or /Users, where "
                             "humans can write")
    _rule(r"(/[A-Za-z0-9._ -]+)+",
          "an absolute workspace path such as /Deployments/mlops, without '//' or a "
          "trailing '/'")(value)
    if any(segment in (".", "..") for segment in segments):
        raise _reject(value, "no '.' or '..' segments")
    return value


def _privilege_among(allowed: frozenset[str], where: str) -> Callable[[str], str]:
    """A Unity Catalog privilege the API accepts, and one of `allowed` in this place."""

    def check(value: str) -> str:
        if value not in PRIVILEGES:
            raise _reject(value, "a Unity Catalog privilege the API accepts (databricks-sdk "
                                 "catalog.Privilege), such as SELECT or USE_SCHEMA")
        if value not in allowed:
            raise _reject(value, f"{where} only {', '.join(sorted(allowed))}")
        return value

    return check


def _human_folder_level(value: str) -> str:
    if value not in PERMISSION_LEVELS:
        raise _reject(value, "a workspace permission level the API accepts (databricks-sdk "
                             "iam.PermissionLevel), such as CAN_READ")
    if value not in HUMAN_FOLDER_LEVELS:
        raise _reject(value, "humans hold on deployment folders only "
                             f"{', '.join(sorted(HUMAN_FOLDER_LEVELS))}")
    return value


Uuid = Annotated[str, AfterValidator(_uuid)]
HumanFolderLevel = Annotated[str, AfterValidator(_human_folder_level)]
GovernedHumanPrivilege = Annotated[str, AfterValidator(_privilege_among(
    HUMAN_GOVERNED_PRIVILEGES, "humans hold on governed catalogs and schemas"))]
DevelopmentCatalogPrivilege = Annotated[str, AfterValidator(_privilege_among(
    DEVELOPMENT_CATALOG_PRIVILEGES, "data scientists hold on the development catalog itself"))]
UcName = Annotated[str, AfterValidator(_rule(
    r"[a-z][a-z0-9_]{0,62}",
    "a Unity Catalog name of lowercase letters, digits and underscores, starting with a "
    "letter, at most 63 characters"))]
ProjectName = Annotated[str, AfterValidator(_rule(
    r"[a-z][a-z0-9_]{0,39}",
    "lowercase letters, digits and underscores, starting with a letter, at most 40 "
    "characters (it prefixes the project's schema names)"))]
WorkspaceFolder = Annotated[str, AfterValidator(_workspace_folder)]
GithubRepository = Annotated[str, AfterValidator(_rule(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}",
    "ORG/REPO, the GitHub organisation (or user) and repository, such as contoso/ml-platform"))]
GithubEnvironment = Annotated[str, AfterValidator(_rule(
    r"[A-Za-z0-9._-]{1,255}", "a GitHub environment name of letters, digits, '.', '_', '-'"))]
GroupName = Annotated[str, AfterValidator(_rule(
    r"[A-Za-z0-9][A-Za-z0-9 ._@()-]{0,254}",
    "an account-level group display name (letters, digits, spaces and . _ @ ( ) -)"))]
AzureLocation = Annotated[str, AfterValidator(_rule(
    r"[a-z][a-z0-9]{2,39}", "an Azure region name such as westeurope"))]
ResourceGroupName = Annotated[str, AfterValidator(_rule(
    r"[-\w.()]{0,89}[-\w()]", "1-90 letters, digits, '-', '_', '.', '(' or ')', not ending "
    "in '.'"))]
StorageAccountName = Annotated[str, AfterValidator(_rule(
    r"[a-z0-9]{3,24}", "3-24 lowercase letters and digits, globally unique"))]
AzureResourceName = Annotated[str, AfterValidator(_rule(
    r"[A-Za-z0-9][A-Za-z0-9_-]{1,62}", "3-64 letters, digits, '-' or '_', starting with a "
    "letter or digit"))]
VirtualNetworkId = Annotated[str, AfterValidator(_rule(
    r"/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]+/providers/"
    r"Microsoft\.Network/virtualNetworks/[-\w.]+",
    "the ARM id of a virtual network: /subscriptions/<id>/resourceGroups/<rg>/providers/"
    "Microsoft.Network/virtualNetworks/<name>"))]
SubnetName = Annotated[str, AfterValidator(_rule(r"[A-Za-z0-9][-\w.]{0,79}",
                                                 "a subnet name of up to 80 characters"))]

# Auth types of the Databricks unified authentication that need no stored secret.
SecretlessAuthType = Literal["azure-cli", "github-oidc-azure", "github-oidc", "env-oidc",
                             "file-oidc"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class AzureSettings(StrictModel):
    subscription_id: Uuid
    tenant_id: Uuid
    location: AzureLocation
    resource_group: ResourceGroupName
    managed_resource_group: ResourceGroupName
    storage_account: StorageAccountName
    access_connector: AzureResourceName
    workspace: AzureResourceName
    tags: dict[str, str] = Field(default_factory=dict)


class VnetInjection(StrictModel):
    virtual_network_id: VirtualNetworkId
    public_subnet: SubnetName
    private_subnet: SubnetName


class NetworkSettings(StrictModel):
    """`public_network_access` has no default: leaving the front end public is a choice."""

    public_network_access: Literal["Enabled", "Disabled"]
    vnet_injection: VnetInjection | None = None


class DatabricksSettings(StrictModel):
    account_id: Uuid
    metastore_id: Uuid
    auth_type: SecretlessAuthType | None = None


class Personas(StrictModel):
    """Existing account-level groups, synced from Entra ID."""

    data_scientists: GroupName
    ml_engineers: GroupName
    platform_admins: GroupName
    auditors: GroupName


class GithubFederation(StrictModel):
    repository: GithubRepository
    environment: GithubEnvironment


class DeployerSettings(StrictModel):
    identity_name: AzureResourceName
    github: list[GithubFederation] = Field(min_length=1)


class FolderSettings(StrictModel):
    deployment: list[WorkspaceFolder] = Field(min_length=1)
    pr_validation: WorkspaceFolder | None = None


class CatalogSettings(StrictModel):
    governed: UcName
    development: UcName | None = None
    feature_development_schema: UcName = "feature_development"


class PersonaPrivileges(StrictModel):
    """Privileges per persona on one kind of governed securable: read and execute only."""

    data_scientists: list[GovernedHumanPrivilege]
    ml_engineers: list[GovernedHumanPrivilege]
    platform_admins: list[GovernedHumanPrivilege]
    auditors: list[GovernedHumanPrivilege]


def _readers(privileges: list[str], auditors: list[str]) -> PersonaPrivileges:
    return PersonaPrivileges(data_scientists=privileges, ml_engineers=privileges,
                             platform_admins=privileges, auditors=auditors)


class AccessSettings(StrictModel):
    governed_catalog: PersonaPrivileges = Field(
        default_factory=lambda: _readers(["USE_CATALOG", "BROWSE"], ["USE_CATALOG", "BROWSE"]))
    project_schemas: PersonaPrivileges = Field(
        default_factory=lambda: _readers(["USE_SCHEMA", "SELECT", "EXECUTE"], ["BROWSE"]))
    development_catalog: list[DevelopmentCatalogPrivilege] = Field(
        default_factory=lambda: ["USE_CATALOG"])


class PromotionSettings(StrictModel):
    """UAT to Prod without retraining; uat creates `reader_group`, Prod's deployer joins it."""

    reader_group: GroupName
    source_catalog: UcName | None = None


class Entitlements(StrictModel):
    """Workspace entitlements of one persona group."""

    workspace_access: bool = True
    databricks_sql_access: bool = True
    allow_cluster_create: bool = False
    allow_instance_pool_create: bool = False


class PersonaEntitlements(StrictModel):
    data_scientists: Entitlements = Field(default_factory=Entitlements)
    ml_engineers: Entitlements = Field(default_factory=Entitlements)
    platform_admins: Entitlements = Field(default_factory=Entitlements)
    auditors: Entitlements = Field(default_factory=lambda: Entitlements(
        databricks_sql_access=False))


class FolderAccess(StrictModel):
    """What each persona holds on the locked folders: CAN_READ or CAN_RUN."""

    data_scientists: HumanFolderLevel = "CAN_RUN"
    ml_engineers: HumanFolderLevel = "CAN_RUN"
    platform_admins: HumanFolderLevel = "CAN_READ"
    auditors: HumanFolderLevel = "CAN_READ"


class WorkspaceSettings(StrictModel):
    max_token_lifetime_days: int = Field(default=90, ge=1, le=730)
    entitlements: PersonaEntitlements = Field(default_factory=PersonaEntitlements)
    folder_access: FolderAccess = Field(default_factory=FolderAccess)


class Project(StrictModel):
    name: ProjectName


class EstateConfig(StrictModel):
    environment: Environment
    azure: AzureSettings
    network: NetworkSettings
    databricks: DatabricksSettings
    personas: Personas
    deployer: DeployerSettings
    folders: FolderSettings
    catalogs: CatalogSettings
    access: AccessSettings = Field(default_factory=AccessSettings)
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    promotion: PromotionSettings
    projects: list[Project] = Field(default_factory=list)


def _cross_field_problems(config: EstateConfig) -> list[tuple[str, str]]:
    """Rules that span keys; each problem names the key that has to change."""
    problems: list[tuple[str, str]] = []
    root = CONFIG_ROOT
    if config.environment != "uat":
        if config.catalogs.development is not None:
            problems.append((f"{root}.catalogs.development",
                             "the development catalog is declared only in the uat environment"))
        if config.folders.pr_validation is not None:
            problems.append((f"{root}.folders.pr_validation",
                             "the PR-validation folder exists only in the uat environment"))
    if config.environment == "prod":
        for role, granted in config.workspace.entitlements:
            for entitlement in ("allow_cluster_create", "allow_instance_pool_create"):
                if getattr(granted, entitlement):
                    problems.append((f"{root}.workspace.entitlements.{role}.{entitlement}",
                                     "must be false in prod: no human group creates clusters "
                                     "or instance pools there"))
    source_catalog = config.promotion.source_catalog
    if config.environment == "prod" and source_catalog is None:
        problems.append((f"{root}.promotion.source_catalog",
                         "required in prod: the UAT catalog that holds the model schemas"))
    if config.environment == "uat" and source_catalog is not None:
        problems.append((f"{root}.promotion.source_catalog",
                         "set only in prod; nothing is bound into UAT"))
    if source_catalog is not None and source_catalog == config.catalogs.governed:
        problems.append((f"{root}.promotion.source_catalog",
                         "must be the UAT catalog, not this environment's governed catalog"))
    if config.catalogs.development == config.catalogs.governed:
        problems.append((f"{root}.catalogs.development",
                         "must differ from catalogs.governed"))
    if config.network.public_network_access == "Disabled" and config.network.vnet_injection is None:
        problems.append((f"{root}.network.vnet_injection",
                         "required when public_network_access is Disabled (private link needs "
                         "VNet injection)"))
    seen: dict[str, int] = {}
    for index, project in enumerate(config.projects):
        if project.name in seen:
            problems.append((f"{root}.projects[{index}].name",
                             f"{project.name!r} duplicates projects[{seen[project.name]}].name; "
                             "project names must be unique"))
        seen.setdefault(project.name, index)
    personas = config.personas.model_dump()
    by_group: dict[str, str] = {}
    for role, group in personas.items():
        if group in by_group:
            problems.append((f"{root}.personas.{role}",
                             f"{group!r} is already the {by_group[group]} group; each persona "
                             "needs its own group"))
        by_group.setdefault(group, role)
    labelled = [(f"folders.deployment[{i}]", f) for i, f in enumerate(config.folders.deployment)]
    if config.folders.pr_validation:
        labelled.append(("folders.pr_validation", config.folders.pr_validation))
    for index, (label, folder) in enumerate(labelled):
        for earlier_label, earlier in labelled[:index]:
            if folder == earlier or (folder + "/").startswith(earlier + "/") or (
                    earlier + "/").startswith(folder + "/"):
                problems.append((f"{root}.{label}",
                                 f"{folder!r} overlaps {earlier_label} ({earlier!r}); estate "
                                 "folders must be distinct and not nested"))
                break
    return problems


def _key_path(loc: tuple[str | int, ...]) -> str:
    path = CONFIG_ROOT
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model that holds the unknown key at `loc`."""
    model: Any = EstateConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return sorted(model.model_fields)


def _describe(error: dict[str, Any]) -> str:
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        return f"unknown key; allowed keys here: {', '.join(_allowed_keys(loc))}"
    if error["type"] == "missing":
        return "required key is missing"
    return error["msg"]


def parse_estate_config(raw: Any) -> EstateConfig:
    """Validate the raw `mlops-estate:estate` value; raise one ConfigError naming every bad key."""
    if raw is None:
        raise ConfigError([(CONFIG_ROOT, "required key is missing; set it in Pulumi.<stack>.yaml "
                                         "(see the committed Pulumi.uat.yaml)")])
    if not isinstance(raw, dict):
        raise ConfigError([(CONFIG_ROOT, "must be an object of estate settings")])
    try:
        config = EstateConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError([(_key_path(e["loc"]), _describe(e)) for e in error.errors()]) from None
    problems = _cross_field_problems(config)
    if problems:
        raise ConfigError(problems)
    return config


def load_estate_config() -> EstateConfig:
    """Read and validate the estate config of the running stack."""
    return parse_estate_config(pulumi.Config(CONFIG_NAMESPACE).get_object(CONFIG_KEY))
