"""The estate of one environment, composed from the components, and its stack outputs."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from .access import (
    AccessGrant,
    PermissionEntry,
    Principal,
    access_matrix,
    permission_rows,
    principals,
)
from .azure_environment import AzureEnvironment, AzureEnvironmentArgs
from .compute import ComputePolicies, ComputePoliciesArgs
from .config import EstateConfig, PersonaPrivileges
from .folders import LockedFolder, LockedFolderArgs
from .identity import DeployerIdentity, DeployerIdentityArgs
from .policies import environment_tags
from .providers import account_provider, azure_provider, workspace_provider
from .unity_catalog import (
    CatalogStorage,
    CatalogStorageArgs,
    DevelopmentCatalog,
    DevelopmentCatalogArgs,
    GovernedCatalog,
    GovernedCatalogArgs,
    ModelPromotion,
    ModelPromotionArgs,
    PromotionReaders,
)
from .workspace_access import PersonaAssignment, WorkspaceAccess, WorkspaceAccessArgs
from .workspace_settings import WorkspaceHardening, WorkspaceHardeningArgs
from .workspace_terms import CAN_READ


@dataclass(frozen=True)
class Estate:
    config: EstateConfig
    azure: AzureEnvironment
    deployer: DeployerIdentity
    storage: CatalogStorage
    governed: GovernedCatalog
    development: DevelopmentCatalog | None
    promotion: ModelPromotion | None
    personas: dict[str, Principal]
    workspace_access: WorkspaceAccess
    folders: list[LockedFolder]
    hardening: WorkspaceHardening
    compute: ComputePolicies

    @property
    def unity_catalog(self) -> list[CatalogStorage | GovernedCatalog | DevelopmentCatalog |
                                     ModelPromotion]:
        return [c for c in (self.storage, self.governed, self.development, self.promotion) if c]

    @property
    def grants(self) -> list[AccessGrant]:
        return [grant for component in self.unity_catalog for grant in component.grants]

    @property
    def principals(self) -> list[Principal]:
        """Every principal that a grant or a permission of the estate names."""
        entries: list[PermissionEntry] = [
            *(e for folder in self.folders for e in folder.access),
            *self.hardening.token_access, *self.hardening.registry_access,
            *(e for entries in self.compute.policies.values() for e in entries)]
        return [*(grant.principal for grant in self.grants), *(e.principal for e in entries),
                self.deployer.principal, *self.personas.values()]


def persona_principals(config: EstateConfig) -> dict[str, Principal]:
    return {role: Principal(role=role, kind="group", name=group)
            for role, group in config.personas.model_dump().items()}


def _readers(privileges: PersonaPrivileges,
             personas: dict[str, Principal]) -> list[tuple[Principal, list[str]]]:
    return [(personas[role], granted) for role, granted in privileges.model_dump().items()]


def build_estate(config: EstateConfig) -> Estate:
    """Register every resource of the environment described by `config`."""
    env = config.environment
    is_prod = env == "prod"
    azure_native = azure_provider(config)
    azure = AzureEnvironment(
        env,
        AzureEnvironmentArgs(azure=config.azure, network=config.network, environment=env,
                             protect=is_prod, workspace_tags=environment_tags(
                                 environment=env,
                                 platform_admins=config.personas.platform_admins,
                                 data_scientists=config.personas.data_scientists,
                                 development_catalog=config.catalogs.development,
                                 feature_schema=config.catalogs.feature_development_schema)),
        opts=pulumi.ResourceOptions(providers={"azure-native": azure_native}))
    account = account_provider(config)
    assignment = databricks.MetastoreAssignment(
        f"{env}-metastore-assignment",
        metastore_id=config.databricks.metastore_id,
        workspace_id=azure.workspace_id,
        opts=pulumi.ResourceOptions(provider=account, protect=is_prod))
    # Every workspace-level resource waits for the metastore through its provider.
    workspace = workspace_provider(config, azure.workspace_url, azure.workspace_resource_id,
                                   depends_on=[assignment])
    deployer = DeployerIdentity(
        f"{env}-deployer",
        DeployerIdentityArgs(identity_name=config.deployer.identity_name,
                             resource_group_name=azure.resource_group_name,
                             location=config.azure.location, github=config.deployer.github,
                             tags=config.azure.tags),
        opts=pulumi.ResourceOptions(providers={"azure-native": azure_native,
                                               "databricks": account}))
    personas = persona_principals(config)
    on_workspace = pulumi.ResourceOptions(providers={"databricks": workspace})

    storage = CatalogStorage(
        f"{env}-catalog-storage",
        CatalogStorageArgs(environment=env, access_connector_id=azure.access_connector_id,
                           storage_root=azure.catalog_storage_root,
                           workspace_id=azure.workspace_id,
                           owner=personas["platform_admins"]),
        opts=on_workspace)

    model_readers = None
    if not is_prod:
        readers = PromotionReaders(f"{env}-promotion-readers", config.promotion.reader_group,
                                   opts=pulumi.ResourceOptions(providers={"databricks": account}))
        model_readers = readers.principal
    governed = GovernedCatalog(
        f"{env}-governed",
        GovernedCatalogArgs(catalog_name=config.catalogs.governed,
                            storage_root=storage.storage_root, workspace_id=azure.workspace_id,
                            owner=deployer.principal,
                            catalog_readers=_readers(config.access.governed_catalog, personas),
                            schema_readers=_readers(config.access.project_schemas, personas),
                            projects=[project.name for project in config.projects],
                            model_readers=model_readers, protect=is_prod),
        opts=on_workspace)

    development = None
    if config.catalogs.development:
        development = DevelopmentCatalog(
            f"{env}-development",
            DevelopmentCatalogArgs(catalog_name=config.catalogs.development,
                                   schema_name=config.catalogs.feature_development_schema,
                                   storage_root=storage.storage_root,
                                   workspace_id=azure.workspace_id,
                                   owner=personas["platform_admins"],
                                   data_scientists=personas["data_scientists"],
                                   catalog_privileges=config.access.development_catalog),
            opts=on_workspace)

    promotion = None
    if config.promotion.source_catalog:
        promotion = ModelPromotion(
            f"{env}-model-promotion",
            ModelPromotionArgs(source_catalog=config.promotion.source_catalog,
                               workspace_id=azure.workspace_id,
                               reader_group=config.promotion.reader_group,
                               deployer_service_principal_id=deployer.service_principal_id,
                               account_provider=account),
            opts=on_workspace)

    humans = list(personas.values())
    workspace_access = WorkspaceAccess(
        f"{env}-workspace-access",
        WorkspaceAccessArgs(
            workspace_id=azure.workspace_id,
            personas=[PersonaAssignment(role=role, group=str(personas[role].name),
                                        entitlements=entitlements)
                      for role, entitlements in config.workspace.entitlements],
            deployer_service_principal_id=deployer.service_principal_id,
            account_provider=account),
        opts=on_workspace)
    folder_access = [PermissionEntry(personas[role], level)
                     for role, level in config.workspace.folder_access]
    folders = [LockedFolder(f"{env}-deployment-{index}",
                            LockedFolderArgs(path=path, purpose="deployment",
                                             manager=deployer.principal, humans=folder_access),
                            opts=on_workspace)
               for index, path in enumerate(config.folders.deployment)]
    if config.folders.pr_validation:
        folders.append(LockedFolder(
            f"{env}-pr-validation",
            LockedFolderArgs(path=config.folders.pr_validation, purpose="pr_validation",
                             manager=deployer.principal,
                             humans=[PermissionEntry(p, CAN_READ) for p in humans]),
            opts=on_workspace))
    hardening = WorkspaceHardening(
        f"{env}-hardening",
        WorkspaceHardeningArgs(max_token_lifetime_days=config.workspace.max_token_lifetime_days,
                               token_users=[deployer.principal],
                               registry_read_only_for=humans if is_prod else None,
                               registry_manager=deployer.principal),
        opts=on_workspace)
    compute = ComputePolicies(
        f"{env}-compute",
        ComputePoliciesArgs(environment=env, deployer=deployer.principal,
                            personal_compute_users=[] if is_prod
                            else [personas["data_scientists"]]),
        opts=on_workspace)

    return Estate(config=config, azure=azure, deployer=deployer, storage=storage,
                  governed=governed, development=development, promotion=promotion,
                  personas=personas, workspace_access=workspace_access, folders=folders,
                  hardening=hardening, compute=compute)


def export_estate(estate: Estate) -> None:
    """Export what the ML projects' CI/CD and the auditors read from the stack."""
    config = estate.config
    pulumi.export("environment", config.environment)
    pulumi.export("workspace", {
        "host": pulumi.Output.concat("https://", estate.azure.workspace_url),
        "url": estate.azure.workspace_url,
        "id": estate.azure.workspace_id,
        "resource_id": estate.azure.workspace_resource_id,
        "metastore_id": config.databricks.metastore_id,
    })
    pulumi.export("azure", {
        "subscription_id": config.azure.subscription_id,
        "location": config.azure.location,
        "resource_group": estate.azure.resource_group_name,
        "storage_account": estate.azure.storage_account_name,
        "catalog_storage_root": estate.azure.catalog_storage_root,
        "access_connector_id": estate.azure.access_connector_id,
        "access_connector_principal_id": estate.azure.access_connector_principal_id,
    })
    pulumi.export("deployer", {
        "application_id": estate.deployer.application_id,
        "managed_identity_client_id": estate.deployer.client_id,
        "managed_identity_principal_id": estate.deployer.principal_id,
        "federated_subjects": estate.deployer.subjects,
        "entitlements": estate.workspace_access.deployer_entitlements,
    })
    pulumi.export("personas", estate.workspace_access.assignments)
    pulumi.export("folders", {folder.path: {"purpose": folder.purpose,
                                            "access": permission_rows(folder.access)}
                              for folder in estate.folders})
    pulumi.export("workspace_settings", {
        "workspace_conf": estate.hardening.settings,
        "token_usage": permission_rows(estate.hardening.token_access),
        "model_registry": permission_rows(estate.hardening.registry_access),
        "cluster_policies": {name: permission_rows(entries)
                             for name, entries in estate.compute.policies.items()},
    })
    catalogs = {"governed": estate.governed.catalog_name}
    if estate.development:
        catalogs["development"] = estate.development.catalog_name
        catalogs["feature_development_schema"] = estate.development.schema_name
    if config.promotion.source_catalog:
        catalogs["promotion_source"] = config.promotion.source_catalog
    pulumi.export("catalogs", catalogs)
    pulumi.export("schemas", estate.governed.schemas)
    pulumi.export("bindings", [
        {"securable_type": b.securable_type, "securable": b.securable,
         "workspace_id": b.workspace_id, "binding_type": b.binding_type}
        for component in estate.unity_catalog for b in component.bindings])
    pulumi.export("principals", principals(estate.principals))
    pulumi.export("access_matrix", access_matrix(estate.grants))
    pulumi.export("owners", [{"securable_type": kind, "securable": securable, "role": owner.role}
                             for component in estate.unity_catalog
                             for kind, securable, owner in component.owners])
