"""The typed stack config: one `mlops-estate:estate` object per stack.

Every field says what it is; enum-like strings are checked against what the real APIs accept
(see `values`), and unknown keys are rejected, so a typo fails the plan, not production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .model import StrictModel
from .network import NetworkSettings
from .security import EncryptionSettings, EnhancedSecuritySettings, EvidenceSettings
from .values import (
    AzureLocation,
    AzureResourceName,
    DevelopmentCatalogPrivilege,
    Environment,
    GithubEnvironment,
    GithubRepository,
    GovernedHumanPrivilege,
    GroupName,
    HumanFolderLevel,
    ProjectName,
    ResourceGroupName,
    ResourceTypeToken,
    SecretlessAuthType,
    StorageAccountName,
    UcName,
    Uuid,
    WorkspaceFolder,
)


class AzureSettings(StrictModel):
    subscription_id: Uuid = Field(description="The Azure subscription of the environment.")
    tenant_id: Uuid = Field(description="The Entra ID tenant.")
    location: AzureLocation = Field(description="The Azure region, e.g. westeurope.")
    resource_group: ResourceGroupName = Field(description="The estate's resource group.")
    managed_resource_group: ResourceGroupName = Field(
        description="The resource group Azure Databricks creates for the workspace's managed "
        "resources."
    )
    storage_account: StorageAccountName = Field(
        description="The ADLS Gen2 account of the environment's managed catalog storage."
    )
    access_connector: AzureResourceName = Field(
        description="The Access Connector for Azure Databricks that Unity Catalog uses."
    )
    workspace: AzureResourceName = Field(description="The Azure Databricks workspace.")
    workspace_storage_account: StorageAccountName = Field(
        description="The workspace's root (DBFS) storage account, which Azure Databricks "
        "creates in the managed resource group: named here so its id is known in advance."
    )
    workspace_access_connector: AzureResourceName = Field(
        description="The access connector the workspace reaches its firewalled root storage with."
    )
    tags: dict[str, str] = Field(
        default_factory=dict, description="Extra tags on every Azure resource."
    )


class DatabricksSettings(StrictModel):
    account_id: Uuid = Field(description="The Databricks account.")
    metastore_id: Uuid = Field(description="The existing Unity Catalog metastore of the region.")
    personal_compute: Literal["ON", "DELEGATE"] = Field(
        description="The account's Personal Compute setting (one per account, set outside the "
        "estate): ON lets every user of every workspace use Databricks' built-in Personal "
        "Compute policy; DELEGATE leaves its use to each workspace's policy ACL."
    )
    auth_type: SecretlessAuthType | None = Field(
        default=None,
        description="The Databricks unified-auth type the providers use; only "
        "types that need no stored secret.",
    )


class Personas(StrictModel):
    """Existing account-level groups, synced from Entra ID."""

    data_scientists: GroupName = Field(description="Develop in UAT; read in Prod.")
    ml_engineers: GroupName = Field(description="Review and run what CI/CD deployed.")
    platform_admins: GroupName = Field(description="Own the platform's shared securables.")
    auditors: GroupName = Field(description="Read what exists and who may use it.")


class GithubFederation(StrictModel):
    repository: GithubRepository = Field(description="ORG/REPO allowed to deploy by OIDC.")
    environment: GithubEnvironment = Field(
        description="The GitHub environment whose jobs may deploy."
    )


class DeployerSettings(StrictModel):
    identity_name: AzureResourceName = Field(
        description="The deployer's user-assigned managed identity."
    )
    github: list[GithubFederation] = Field(
        min_length=1, description="Who may act as the deployer: one federated credential each."
    )


class FolderSettings(StrictModel):
    deployment: list[WorkspaceFolder] = Field(
        min_length=1, description="Locked folders that CI/CD deploys notebooks into."
    )
    pr_validation: WorkspaceFolder | None = Field(
        default=None, description="UAT only: where CI runs pull requests in Git folders."
    )


class CatalogSettings(StrictModel):
    governed: UcName = Field(description="The environment's governed catalog.")
    development: UcName | None = Field(
        default=None, description="UAT only: the development catalog."
    )
    feature_development_schema: UcName = Field(
        default="feature_development",
        description="The development catalog's schema where data scientists write and grant.",
    )


class PersonaPrivileges(StrictModel):
    """Privileges per persona on one kind of governed securable: read and execute only."""

    data_scientists: list[GovernedHumanPrivilege]
    ml_engineers: list[GovernedHumanPrivilege]
    platform_admins: list[GovernedHumanPrivilege]
    auditors: list[GovernedHumanPrivilege]

    @classmethod
    def readers(cls, privileges: list[str], auditors: list[str]) -> PersonaPrivileges:
        """The same privileges for every persona, and `auditors` for the auditors."""
        return cls(
            data_scientists=privileges,
            ml_engineers=privileges,
            platform_admins=privileges,
            auditors=auditors,
        )


class AccessSettings(StrictModel):
    governed_catalog: PersonaPrivileges = Field(
        default_factory=lambda: PersonaPrivileges.readers(
            ["USE_CATALOG", "BROWSE"], ["USE_CATALOG", "BROWSE"]
        ),
        description="What each persona holds on the governed catalog.",
    )
    # Auditors see every schema's metadata through BROWSE on the catalog, the one securable
    # Unity Catalog documents BROWSE for; on a schema they need nothing more.
    project_schemas: PersonaPrivileges = Field(
        default_factory=lambda: PersonaPrivileges.readers(["USE_SCHEMA", "SELECT", "EXECUTE"], []),
        description="What each persona holds on every project's features and models schemas.",
    )
    development_catalog: list[DevelopmentCatalogPrivilege] = Field(
        default_factory=lambda: ["USE_CATALOG"],
        description="What data scientists hold on the development catalog itself.",
    )


class PromotionSettings(StrictModel):
    """UAT to Prod without retraining; uat creates `reader_group`, Prod's deployer joins it."""

    reader_group: GroupName = Field(
        description="The account group that may read UAT's models schemas."
    )
    source_catalog: UcName | None = Field(
        default=None, description="Prod only: the UAT catalog bound read-only into Prod."
    )


class Entitlements(StrictModel):
    """Workspace entitlements of one persona group: what its members may do, and all they
    may do, since the estate takes every entitlement off the workspace's `users` group."""

    workspace_access: bool = True
    databricks_sql_access: bool = True
    workspace_consume: bool = Field(
        default=False,
        description="Consumer access only (Databricks One: dashboards and Genie spaces); "
        "excludes workspace_access and databricks_sql_access.",
    )
    allow_cluster_create: bool = False
    allow_instance_pool_create: bool = False


class PersonaEntitlements(StrictModel):
    data_scientists: Entitlements = Field(default_factory=Entitlements)
    ml_engineers: Entitlements = Field(default_factory=Entitlements)
    platform_admins: Entitlements = Field(default_factory=Entitlements)
    auditors: Entitlements = Field(
        default_factory=lambda: Entitlements(databricks_sql_access=False)
    )


class FolderAccess(StrictModel):
    """What each persona holds on the locked folders: CAN_READ or CAN_RUN."""

    data_scientists: HumanFolderLevel = "CAN_RUN"
    ml_engineers: HumanFolderLevel = "CAN_RUN"
    platform_admins: HumanFolderLevel = "CAN_READ"
    auditors: HumanFolderLevel = "CAN_READ"


class TokenSettings(StrictModel):
    """Personal access tokens: off by default, since the estate authenticates with Entra ID."""

    enabled: bool = Field(
        default=False, description="Whether the workspace allows personal access tokens."
    )
    manage_permissions: bool = Field(
        default=False,
        description="Whether the estate manages who may use tokens (the deployer only). "
        "Databricks refuses token permissions until one token exists: set it after creating "
        "the first token.",
    )
    max_lifetime_days: int = Field(
        default=90, ge=1, le=730, description="The lifetime of new tokens, in days."
    )


class WorkspaceSettings(StrictModel):
    tokens: TokenSettings = Field(
        default_factory=TokenSettings, description="Personal access tokens."
    )
    entitlements: PersonaEntitlements = Field(
        default_factory=PersonaEntitlements, description="Each persona's workspace entitlements."
    )
    folder_access: FolderAccess = Field(
        default_factory=FolderAccess, description="What humans hold on the locked folders."
    )


class PlatformRunner(StrictModel):
    """The identity that runs `pulumi up`: an account and metastore admin, a platform principal."""

    application_id: Uuid = Field(
        description="Its Entra application (client) id: its name in Databricks grants and "
        "access lists."
    )
    object_id: Uuid = Field(description="Its Entra object id: its name in Azure role assignments.")


class PlatformSettings(StrictModel):
    runner: PlatformRunner = Field(description="The identity that runs `pulumi up`.")


class AllowedResourceType(StrictModel):
    """A resource type the rules do not review, allowed in this stack for a stated reason."""

    type: ResourceTypeToken = Field(
        description="The Pulumi type token, e.g. random:index/randomId:RandomId."
    )
    reason: str = Field(min_length=20, description="Why this type is safe here; reports show it.")


class Project(StrictModel):
    name: ProjectName = Field(description="The ML project; it prefixes its schemas' names.")


class EstateConfig(StrictModel):
    environment: Environment = Field(description="uat or prod.")
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
    platform: PlatformSettings
    encryption: EncryptionSettings = Field(default_factory=EncryptionSettings)
    enhanced_security: EnhancedSecuritySettings = Field(default_factory=EnhancedSecuritySettings)
    evidence: EvidenceSettings
    projects: list[Project] = Field(
        default_factory=list, description="The ML projects deployed into this estate."
    )
    allowed_resource_types: list[AllowedResourceType] = Field(
        default_factory=list,
        description="Resource types no rule reviews, allowed here with a reason; any other "
        "unknown type is a violation.",
    )

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def customer_managed_keys(self) -> bool:
        """encryption.customer_managed_keys, on in Prod unless the config turns it off."""
        return _on_in_prod(self.encryption.customer_managed_keys, self.is_prod)

    @property
    def security_monitoring(self) -> bool:
        """On in Prod by default, and always with the compliance security profile, which
        enables it ("If the compliance security profile is enabled, this is automatically
        enabled": terraform-provider-databricks enhanced_security_monitoring_setting.md)."""
        return self._with_profile(self.enhanced_security.monitoring)

    @property
    def automatic_cluster_update(self) -> bool:
        return self._with_profile(self.enhanced_security.automatic_cluster_update)

    def _with_profile(self, value: bool | None) -> bool:
        if self.enhanced_security.compliance_security_profile.enabled:
            return True
        return _on_in_prod(value, self.is_prod)


def _on_in_prod(value: bool | None, is_prod: bool) -> bool:
    """A switch whose default is on in Prod and off elsewhere."""
    return is_prod if value is None else value
