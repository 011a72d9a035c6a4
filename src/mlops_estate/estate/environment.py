"""One environment of the estate, composed from the components as one Pulumi component."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks
from pulumi_azure_native import resources

from ..components.access import AccessGrant, PermissionEntry, Principal
from ..components.azure import (
    AzureWorkspace,
    AzureWorkspaceArgs,
    CatalogStorageAccount,
    CatalogStorageAccountArgs,
    CustomerManagedKeys,
    CustomerManagedKeysArgs,
    DiagnosticLogs,
    DiagnosticLogsArgs,
    EnhancedSecurityArgs,
    WorkspaceEncryptionArgs,
)
from ..components.identity import DeployerIdentity, DeployerIdentityArgs, GithubEnvironmentTrust
from ..components.moves import FORMER_AZURE_COMPONENT, FORMERLY_AT_ROOT, child_options
from ..components.unity_catalog import (
    AuditEvidence,
    AuditEvidenceArgs,
    CatalogStorage,
    CatalogStorageArgs,
    DevelopmentCatalog,
    DevelopmentCatalogArgs,
    GovernedCatalog,
    GovernedCatalogArgs,
    ModelPromotion,
    ModelPromotionArgs,
    PromotionReaders,
    PromotionReadersArgs,
)
from ..components.unity_catalog.base import UnityCatalogComponent
from ..components.workspace import (
    ComputePolicies,
    ComputePoliciesArgs,
    LockedFolder,
    LockedFolderArgs,
    PersonaAssignment,
    WorkspaceAccess,
    WorkspaceAccessArgs,
    WorkspaceHardening,
    WorkspaceHardeningArgs,
)
from ..components.workspace.access import WorkspaceEntitlements
from ..config import EstateConfig
from ..config.network import private_key_vault
from ..config.schema import PersonaPrivileges
from ..vocabulary.workspace import CAN_READ
from .networking import front_end_ready, join_network, private_endpoints, serverless_network
from .providers import StackProviders


@dataclass(frozen=True)
class EnvironmentArgs:
    config: EstateConfig
    """The validated stack config of this environment."""
    providers: StackProviders
    """The stack's providers: Azure, the Databricks account, and the workspace's."""


def persona_principals(config: EstateConfig) -> dict[str, Principal]:
    """The persona groups, by role."""
    return {
        role: Principal(role=role, kind="group", name=group)
        for role, group in config.personas.model_dump().items()
    }


def persona_privileges(
    privileges: PersonaPrivileges, personas: dict[str, Principal]
) -> list[tuple[Principal, list[str]]]:
    """What each persona group holds on one kind of governed securable."""
    return [(personas[role], granted) for role, granted in privileges.model_dump().items()]


class Environment(pulumi.ComponentResource):
    """The estate of one environment: Azure, the deployer, Unity Catalog and the workspace.

    Its attributes are what the stack outputs report.
    """

    def __init__(
        self, name: str, args: EnvironmentArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:estate:Environment", name, None, opts)
        self.config = args.config
        self._stack_providers = args.providers
        self.personas = persona_principals(self.config)
        self.runner = Principal(
            role="runner",
            kind="service_principal",
            name=self.config.platform.runner.application_id,
        )
        self._azure(name)
        self.azure_provider = self._stack_providers.azure
        self.account_provider = self._stack_providers.account
        self.workspace_provider = workspace_provider = self._metastore_and_workspace_provider(name)
        self._on_account = pulumi.ResourceOptions(
            parent=self,
            aliases=FORMERLY_AT_ROOT,
            providers={"databricks": self._stack_providers.account},
        )
        self._on_workspace = pulumi.ResourceOptions(
            parent=self, aliases=FORMERLY_AT_ROOT, providers={"databricks": workspace_provider}
        )
        self._deployer(name)
        self._unity_catalog(name)
        self._workspace_access(name)
        self.register_outputs({})

    @property
    def _is_prod(self) -> bool:
        return self.config.environment == "prod"

    def _azure(self, name: str) -> None:
        azure = self.config.azure
        self.tags = {
            **azure.tags,
            "environment": self.config.environment,
            "managed-by": "mlops-estate",
        }
        former_parent = pulumi.create_urn(name, FORMER_AZURE_COMPONENT)
        on_azure = pulumi.ResourceOptions(
            parent=self, providers={"azure-native": self._stack_providers.azure}
        )
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=azure.resource_group,
            location=azure.location,
            tags=self.tags,
            opts=pulumi.ResourceOptions.merge(
                child_options(self, former_parent),
                pulumi.ResourceOptions(provider=self._stack_providers.azure),
            ),
        )
        self.resource_group_name = group.name
        self.storage_account = CatalogStorageAccount(
            name,
            CatalogStorageAccountArgs(
                subscription_id=azure.subscription_id,
                tenant_id=azure.tenant_id,
                resource_group_name=group.name,
                location=azure.location,
                account_name=azure.storage_account,
                connector_name=azure.access_connector,
                tags=self.tags,
                protect=self._is_prod,
                former_parent_urn=former_parent,
            ),
            opts=on_azure,
        )
        encryption = self._customer_managed_keys(name, group.name, on_azure)
        network = self.config.network
        self.network = joined = join_network(name, self.config, group.name, self.tags, on_azure)
        self.workspace = AzureWorkspace(
            name,
            AzureWorkspaceArgs(
                subscription_id=azure.subscription_id,
                resource_group_name=group.name,
                location=azure.location,
                workspace_name=azure.workspace,
                managed_resource_group=azure.managed_resource_group,
                public_network_access=network.public_network_access,
                tags=self.tags,
                vnet_injection=joined.vnet_injection,
                storage_firewall=joined.storage_firewall,
                encryption=encryption,
                enhanced_security=EnhancedSecurityArgs(
                    monitoring=self.config.security_monitoring,
                    automatic_cluster_update=self.config.automatic_cluster_update,
                    compliance_standards=list(
                        self.config.enhanced_security.compliance_security_profile.standards
                    ),
                ),
                protect=self._is_prod,
                former_parent_urn=former_parent,
            ),
            opts=on_azure,
        )
        self.private_link = private_endpoints(
            name,
            self.config,
            joined,
            self.workspace,
            self.storage_account,
            self.keys,
            group.name,
            self.tags,
            on_azure,
        )
        self.serverless = serverless_network(
            name,
            self.config,
            self.workspace,
            self.storage_account,
            self.private_link,
            group.name,
            self._stack_providers.account,
            self._stack_providers.azure,
            pulumi.ResourceOptions(parent=self),
        )
        if self.keys is not None:
            # The identities Azure creates with the workspace reach their keys once it exists
            # (the reference grants them after the workspace too: workspace/main.tf).
            self.keys.grant(
                f"{name}-keys-managed-disks",
                self.workspace.managed_disk_principal_id,
                "managed-disks",
            )
            self.keys.grant(
                f"{name}-keys-workspace-storage",
                self.workspace.storage_principal_id,
                "managed-disks",
            )
        self.diagnostics = DiagnosticLogs(
            f"{name}-diagnostics",
            DiagnosticLogsArgs(
                resource_group_name=group.name,
                location=azure.location,
                workspace_name=self.config.evidence.logs.workspace_name,
                existing_workspace_id=self.config.evidence.logs.existing_workspace_id,
                retention_days=self.config.evidence.logs.retention_days,
                databricks_workspace_id=self.workspace.resource_id,
                storage_account_id=self.storage_account.account_id,
                tags=self.tags,
                protect=self._is_prod,
            ),
            opts=on_azure,
        )

    def _customer_managed_keys(
        self, name: str, group_name: pulumi.Input[str], on_azure: pulumi.ResourceOptions
    ) -> WorkspaceEncryptionArgs | None:
        """The environment's keys, when the config uses them. The workspace storage uses the
        managed disks' key, as the reference does (workspace/main.tf)."""
        config = self.config
        self.keys = None
        if not config.customer_managed_keys:
            return None
        encryption = config.encryption
        self.keys = keys = CustomerManagedKeys(
            f"{name}-keys",
            CustomerManagedKeysArgs(
                subscription_id=config.azure.subscription_id,
                tenant_id=config.azure.tenant_id,
                resource_group_name=group_name,
                location=config.azure.location,
                vault_name=str(encryption.key_vault),
                azure_databricks_object_id=str(encryption.azure_databricks_object_id),
                runner_object_id=config.platform.runner.object_id,
                first_version_expires=str(encryption.key_expires),
                lifetime_days=encryption.key_lifetime_days,
                rotate_before_expiry_days=encryption.rotate_before_expiry_days,
                tags=self.tags,
                protect=self._is_prod,
                private=private_key_vault(config.network, config.customer_managed_keys),
            ),
            opts=on_azure,
        )
        return WorkspaceEncryptionArgs(
            managed_services=keys.managed_services_key,
            managed_disks=keys.managed_disk_key,
            workspace_storage=keys.managed_disk_key if encryption.workspace_storage else None,
            after=[keys.services_ready],
        )

    def _metastore_and_workspace_provider(self, name: str) -> databricks.Provider:
        """Assign the metastore; every workspace-level resource waits for it via the provider."""
        self.metastore_assignment = assignment = databricks.MetastoreAssignment(
            f"{name}-metastore-assignment",
            metastore_id=self.config.databricks.metastore_id,
            workspace_id=self.workspace.workspace_id,
            opts=pulumi.ResourceOptions(
                parent=self,
                provider=self._stack_providers.account,
                protect=self._is_prod,
                aliases=FORMERLY_AT_ROOT,
            ),
        )
        return self._stack_providers.create_workspace_provider(
            self.workspace.workspace_url,
            self.workspace.resource_id,
            depends_on=[assignment, *front_end_ready(self.config, self.private_link)],
        )

    def _deployer(self, name: str) -> None:
        deployer = self.config.deployer
        self.deployer = DeployerIdentity(
            f"{name}-deployer",
            DeployerIdentityArgs(
                identity_name=deployer.identity_name,
                resource_group_name=self.resource_group_name,
                location=self.config.azure.location,
                tags=self.tags,
                protect=self._is_prod,
                github=[
                    GithubEnvironmentTrust(trust.repository, trust.environment)
                    for trust in deployer.github
                ],
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                aliases=FORMERLY_AT_ROOT,
                providers={
                    "azure-native": self._stack_providers.azure,
                    "databricks": self._stack_providers.account,
                },
            ),
        )

    def _unity_catalog(self, name: str) -> None:
        config, personas = self.config, self.personas
        workspace_id = self.workspace.workspace_id
        self.storage = CatalogStorage(
            f"{name}-catalog-storage",
            CatalogStorageArgs(
                environment=config.environment,
                access_connector_id=self.storage_account.access_connector_id,
                storage_root=self.storage_account.catalog_storage_root,
                workspace_id=workspace_id,
                owner=self.runner,
                after=[self.storage_account.storage_access_ready],
            ),
            opts=self._on_workspace,
        )
        model_readers = None
        if not self._is_prod:
            model_readers = PromotionReaders(
                f"{name}-promotion-readers",
                PromotionReadersArgs(group_name=config.promotion.reader_group),
                opts=self._on_account,
            ).principal
        self.governed = GovernedCatalog(
            f"{name}-governed",
            GovernedCatalogArgs(
                catalog_name=config.catalogs.governed,
                storage_root=self.storage.storage_root,
                workspace_id=workspace_id,
                owner=self.runner,
                writer=self.deployer.principal,
                catalog_readers=persona_privileges(config.access.governed_catalog, personas),
                schema_readers=persona_privileges(config.access.project_schemas, personas),
                projects=[project.name for project in config.projects],
                model_readers=model_readers,
                protect=self._is_prod,
            ),
            opts=self._on_workspace,
        )
        self.development: DevelopmentCatalog | None = None
        if config.catalogs.development:
            self.development = DevelopmentCatalog(
                f"{name}-development",
                DevelopmentCatalogArgs(
                    catalog_name=config.catalogs.development,
                    schema_name=config.catalogs.feature_development_schema,
                    storage_root=self.storage.storage_root,
                    workspace_id=workspace_id,
                    owner=self.runner,
                    data_scientists=personas["data_scientists"],
                    catalog_privileges=config.access.development_catalog,
                ),
                opts=self._on_workspace,
            )
        self.promotion: ModelPromotion | None = None
        if config.promotion.source_catalog:
            self.promotion = ModelPromotion(
                f"{name}-model-promotion",
                ModelPromotionArgs(
                    source_catalog=config.promotion.source_catalog,
                    workspace_id=workspace_id,
                    reader_group=config.promotion.reader_group,
                    deployer_service_principal_id=self.deployer.service_principal_id,
                    account_provider=self._stack_providers.account,
                ),
                opts=self._on_workspace,
            )
        evidence = config.evidence
        self.evidence = AuditEvidence(
            f"{name}-audit-evidence",
            AuditEvidenceArgs(
                catalog_name=evidence.catalog(config.catalogs.governed),
                schema_name=evidence.schema_name,
                storage_root=self.storage.storage_root,
                governed_catalog=config.catalogs.governed,
                workspace_id=workspace_id,
                owner=self.runner,
                readers=[personas["auditors"], personas["platform_admins"]],
                sql_warehouse_id=evidence.sql_warehouse_id,
                # System schemas are metastore-wide: UAT enables them, as it owns the
                # promotion group.
                system_schemas=[] if self._is_prod else list(evidence.system_schemas),
                protect=self._is_prod,
            ),
            opts=self._on_workspace,
        )

    def _workspace_access(self, name: str) -> None:
        config, personas, deployer = self.config, self.personas, self.deployer.principal
        humans = list(personas.values())
        self.workspace_access = WorkspaceAccess(
            f"{name}-workspace-access",
            WorkspaceAccessArgs(
                workspace_id=self.workspace.workspace_id,
                personas=[
                    PersonaAssignment(
                        role=role,
                        group=str(personas[role].name),
                        entitlements=WorkspaceEntitlements(**entitlements.model_dump()),
                    )
                    for role, entitlements in config.workspace.entitlements
                ],
                deployer_service_principal_id=self.deployer.service_principal_id,
                account_provider=self._stack_providers.account,
                after=[self.metastore_assignment],
            ),
            opts=self._on_workspace,
        )
        after = [self.workspace_access.principals_visible]
        folder_access = [
            PermissionEntry(personas[role], level) for role, level in config.workspace.folder_access
        ]
        self.folders = [
            LockedFolder(
                f"{name}-deployment-{index}",
                LockedFolderArgs(
                    path=path,
                    purpose="deployment",
                    manager=deployer,
                    humans=folder_access,
                    after=after,
                ),
                opts=self._on_workspace,
            )
            for index, path in enumerate(config.folders.deployment)
        ]
        if config.folders.pr_validation:
            self.folders.append(
                LockedFolder(
                    f"{name}-pr-validation",
                    LockedFolderArgs(
                        path=config.folders.pr_validation,
                        purpose="pr_validation",
                        manager=deployer,
                        humans=[PermissionEntry(p, CAN_READ) for p in humans],
                        after=after,
                    ),
                    opts=self._on_workspace,
                )
            )
        self.hardening = WorkspaceHardening(
            f"{name}-hardening",
            WorkspaceHardeningArgs(
                tokens_enabled=config.workspace.tokens.enabled,
                manage_token_permissions=config.workspace.tokens.manage_permissions,
                max_token_lifetime_days=config.workspace.tokens.max_lifetime_days,
                token_users=[deployer],
                registry_read_only_for=humans if self._is_prod else None,
                registry_manager=deployer,
                protect=self._is_prod,
                after=after,
            ),
            opts=self._on_workspace,
        )
        self.compute = ComputePolicies(
            f"{name}-compute",
            ComputePoliciesArgs(
                environment=config.environment,
                deployer=deployer,
                personal_compute_users=[] if self._is_prod else [personas["data_scientists"]],
                builtin_personal_compute_users=(
                    ([self.runner] if self._is_prod else [personas["data_scientists"]])
                    if config.databricks.personal_compute == "DELEGATE"
                    else None
                ),
                after=after,
            ),
            opts=self._on_workspace,
        )

    @property
    def unity_catalog(self) -> list[UnityCatalogComponent]:
        return [
            c
            for c in (self.storage, self.governed, self.development, self.promotion, self.evidence)
            if c
        ]

    @property
    def grants(self) -> list[AccessGrant]:
        return [grant for component in self.unity_catalog for grant in component.grants]

    @property
    def principals(self) -> list[Principal]:
        """Every principal that a grant or a permission of the estate names."""
        entries: list[PermissionEntry] = [
            *(e for folder in self.folders for e in folder.access),
            *self.hardening.token_access,
            *self.hardening.registry_access,
            *(e for entries in self.compute.policies.values() for e in entries),
        ]
        return [
            *(grant.principal for grant in self.grants),
            *(e.principal for e in entries),
            self.deployer.principal,
            self.runner,
            *self.personas.values(),
        ]
