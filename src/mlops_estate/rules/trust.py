"""What the rules trust: the stack's environment and what its config declares.

It comes from the stack's name and its validated config, never from a tag or a value that
the judged program sets: a program can register any resource, but not change its stack's
name or config.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import EstateConfig, parse_estate_config
from ..config.network import NetworkSettings
from ..vocabulary.azure import github_subject
from ..vocabulary.unity_catalog import SYSTEM_CATALOG, normalized_name


@dataclass(frozen=True)
class Trust:
    stack: str
    """The stack's name; its config's environment agrees with it."""
    environment: str
    """uat or prod."""
    governed_catalog: str
    """The environment's governed catalog."""
    platform_admins: str
    """The platform admins group: a platform principal."""
    data_scientists: str
    """The data scientists' group: it writes and grants in the feature-development schema."""
    development_catalog: str | None = None
    """UAT: the development catalog, the one catalog that is not governed."""
    feature_development_schema: str | None = None
    """UAT: the development catalog's schema where data scientists hold MANAGE."""
    persona_groups: frozenset[str] = frozenset()
    """Every persona group: the humans the estate lets into the workspace."""
    runner_application_id: str = ""
    """The identity that runs `pulumi up`, as Databricks names it: a platform principal."""
    runner_object_id: str = ""
    """The same identity, as Azure role assignments name it."""
    subscription_id: str = ""
    tenant_id: str = ""
    location: str = ""
    resource_group: str = ""
    workspace_name: str = ""
    """The stack's one Azure Databricks workspace."""
    access_connector: str = ""
    """The access connector whose identity Unity Catalog uses."""
    storage_account: str = ""
    """The ADLS Gen2 account of the environment's catalog storage: the only storage its
    external locations, volumes and catalogs may lie in."""
    deployer_identity: str = ""
    """The deployer's user-assigned managed identity: its client id is the deployer's
    application id."""
    github_subjects: frozenset[str] = frozenset()
    """The only OIDC subjects that may act as the deployer."""
    account_id: str = ""
    metastore_id: str = ""
    promotion_group: str = ""
    """The account group whose members may read UAT's models schemas."""
    promotion_source: str = ""
    """Prod: the one UAT catalog bound read-only into Prod's workspace."""
    allowed_types: dict[str, str] = field(default_factory=dict)
    """Resource types no rule reviews, allowed with a reason."""
    tokens_enabled: bool = False
    """Whether the config turns personal access tokens on."""
    token_permissions_managed: bool = False
    """Whether the config has the estate manage who may use tokens (once one token exists)."""
    max_token_lifetime_days: int = 90
    personal_compute: str = "ON"
    """The account's Personal Compute setting as the config declares it: ON or DELEGATE."""
    auditors: str = ""
    """The auditors' group: it reads the audit evidence."""
    customer_managed_keys: bool = False
    """Whether the config encrypts with the estate's keys."""
    microsoft_managed_keys_reason: str = ""
    """Prod: why the config does without customer-managed keys, if it does."""
    key_vault: str = ""
    """The Key Vault of the estate's keys."""
    key_lifetime_days: int = 365
    """How long each rotated version of the estate's keys lives, at most."""
    azure_databricks_object_id: str = ""
    """The AzureDatabricks application's object id in the tenant: it unwraps the keys."""
    log_analytics_workspace: str = ""
    """The Log Analytics workspace the logs go to: the name of the one the estate creates, or
    the ARM id of an existing one."""
    evidence_catalog: str = ""
    """The evidence catalog: the evidence views' own, out of the deployer's reach."""
    evidence_schema: str = ""
    """The evidence views' schema, in the evidence catalog."""
    system_schemas: frozenset[str] = frozenset()
    """The system schemas UAT enables for the metastore."""
    network: NetworkSettings | None = None
    """The workspace's network, its endpoints' DNS and serverless egress, as declared. A
    validated config always declares it; without it (a judge given no network), the rules
    check the network's resources but not what the workspace and its storage must have."""
    managed_resource_group: str = ""
    """The resource group Azure Databricks creates the workspace's root storage in."""
    workspace_storage_account: str = ""
    """The workspace's root (DBFS) storage account."""
    workspace_access_connector: str = ""
    """The access connector the workspace reaches its root storage with."""

    @classmethod
    def from_config(cls, stack: str, config: EstateConfig) -> Trust:
        catalogs, azure = config.catalogs, config.azure
        evidence_catalog = config.evidence.catalog(catalogs.governed)
        return cls(
            stack=stack,
            environment=config.environment,
            governed_catalog=catalogs.governed,
            platform_admins=config.personas.platform_admins,
            data_scientists=config.personas.data_scientists,
            development_catalog=catalogs.development,
            feature_development_schema=(
                f"{catalogs.development}.{catalogs.feature_development_schema}"
                if catalogs.development
                else None
            ),
            persona_groups=frozenset(config.personas.model_dump().values()),
            runner_application_id=config.platform.runner.application_id,
            runner_object_id=config.platform.runner.object_id,
            subscription_id=azure.subscription_id,
            tenant_id=azure.tenant_id,
            location=azure.location,
            resource_group=azure.resource_group,
            workspace_name=azure.workspace,
            access_connector=azure.access_connector,
            storage_account=azure.storage_account,
            deployer_identity=config.deployer.identity_name,
            github_subjects=frozenset(
                github_subject(trust.repository, trust.environment)
                for trust in config.deployer.github
            ),
            account_id=config.databricks.account_id,
            metastore_id=config.databricks.metastore_id,
            promotion_group=config.promotion.reader_group,
            promotion_source=config.promotion.source_catalog or "",
            allowed_types={
                allowed.type: allowed.reason for allowed in config.allowed_resource_types
            },
            tokens_enabled=config.workspace.tokens.enabled,
            token_permissions_managed=config.workspace.tokens.manage_permissions,
            max_token_lifetime_days=config.workspace.tokens.max_lifetime_days,
            personal_compute=config.databricks.personal_compute,
            auditors=config.personas.auditors,
            customer_managed_keys=config.customer_managed_keys,
            microsoft_managed_keys_reason=config.encryption.microsoft_managed_keys_reason or "",
            key_vault=config.encryption.key_vault or "",
            key_lifetime_days=config.encryption.key_lifetime_days,
            azure_databricks_object_id=config.encryption.azure_databricks_object_id or "",
            log_analytics_workspace=(
                config.evidence.logs.existing_workspace_id
                or config.evidence.logs.workspace_name
                or ""
            ),
            evidence_catalog=evidence_catalog,
            evidence_schema=f"{evidence_catalog}.{config.evidence.schema_name}",
            system_schemas=frozenset(config.evidence.system_schemas),
            network=config.network,
            managed_resource_group=azure.managed_resource_group,
            workspace_storage_account=azure.workspace_storage_account,
            workspace_access_connector=azure.workspace_access_connector,
        )

    @classmethod
    def from_raw_config(cls, stack: str, raw: object) -> Trust:
        """Validate the stack's raw `mlops-estate:estate` value; ConfigError names a bad key."""
        return cls.from_config(stack, parse_estate_config(raw, stack=stack))

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def access_connector_id(self) -> str:
        """The Azure resource id of the configured access connector: the estate creates it in
        the configured subscription and resource group. The form is the one
        `azure_managed_identity.access_connector_id` takes ("/subscriptions/.../resourceGroups/
        rg-name/providers/Microsoft.Databricks/accessConnectors/connector-name",
        pulumi_databricks/_inputs.py)."""
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}/"
            f"providers/Microsoft.Databricks/accessConnectors/{self.access_connector}"
        )

    @property
    def own_catalogs(self) -> frozenset[str]:
        """The catalogs the config declares for this stack: its governed and evidence catalogs
        and, in UAT, the development catalog. A catalog the program registers under another
        name is not the stack's own, whatever it is called (it may import another
        environment's)."""
        return frozenset(
            filter(None, (self.governed_catalog, self.evidence_catalog, self.development_catalog))
        )

    @property
    def evidence_readers(self) -> frozenset[str]:
        """Who may read the evidence views: the auditors and the platform admins."""
        return frozenset(filter(None, (self.auditors, self.platform_admins)))

    def is_in_evidence_catalog(self, securable: str) -> bool:
        """The evidence catalog, or anything in it; `securable` as Unity Catalog compares
        names (rules.readers.securable_of)."""
        catalog = self.evidence_catalog
        return bool(catalog) and normalized_name(securable).split(".")[0] == catalog

    def is_development_schema(self, full_name: str) -> bool:
        return full_name == self.feature_development_schema

    def is_in_development_schema(self, full_name: str) -> bool:
        """The feature-development schema, or a table, volume, function or model in it."""
        schema = self.feature_development_schema
        return bool(schema) and (full_name == schema or full_name.startswith(f"{schema}."))

    def is_governed(self, securable: str) -> bool:
        """Every catalog, and anything in one, except the development catalog and the
        metastore's shared system catalog (rule system-catalog-grants-additive)."""
        catalog = normalized_name(securable).split(".")[0]
        return catalog not in (self.development_catalog, SYSTEM_CATALOG)
