"""Unity Catalog components: isolated storage, governed and development catalogs, promotion.

Pass the workspace-level Databricks provider through `opts.providers`; every securable is
bound to the environment's workspace only, and every grant is authoritative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_databricks as databricks

from .access import AccessGrant, Principal, SecurableType, authoritative_grants
from .unity_catalog_terms import (
    ADMINISTRATIVE_PRIVILEGES,
    CATALOG_ISOLATED,
    READ_ONLY,
    READ_WRITE,
    STORAGE_ISOLATED,
)


@dataclass(frozen=True)
class Binding:
    securable_type: str
    securable: str
    workspace_id: pulumi.Input[str]
    binding_type: str


class _UnityCatalogComponent(pulumi.ComponentResource):
    """Collects the component's bindings and grants, the auditors' view of it.

    Securables are named by their known names; the resources take them from the securable's
    resource (`of`), so they wait for it.
    """

    def __init__(self, token: str, name: str, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(token, name, None, opts)
        self.bindings: list[Binding] = []
        self.grants: list[AccessGrant] = []
        self.owners: list[tuple[str, str, Principal]] = []

    def _bind(self, resource_name: str, binding: Binding, of: pulumi.Input[str]) -> None:
        databricks.WorkspaceBinding(
            resource_name, securable_type=binding.securable_type, securable_name=of,
            workspace_id=binding.workspace_id, binding_type=binding.binding_type,
            opts=pulumi.ResourceOptions(parent=self))
        self.bindings.append(binding)

    def _owned(self, securable_type: SecurableType, securable: str, owner: Principal) -> None:
        self.owners.append((securable_type, securable, owner))

    def _home_catalog(self, resource_name: str, catalog_name: str,
                      storage_root: pulumi.Input[str], workspace_id: pulumi.Input[str],
                      owner: Principal, comment: str,
                      opts: pulumi.ResourceOptions) -> databricks.Catalog:
        """An isolated catalog, bound read-write to this environment's workspace only."""
        catalog = databricks.Catalog(
            resource_name, name=catalog_name,
            storage_root=pulumi.Output.concat(storage_root, catalog_name),
            isolation_mode=CATALOG_ISOLATED, owner=owner.name, comment=comment, opts=opts)
        self._owned("catalog", catalog_name, owner)
        self._bind(f"{resource_name}-binding",
                   Binding("catalog", catalog_name, workspace_id, READ_WRITE), catalog.name)
        return catalog

    def _grant(self, resource_name: str, securable_type: SecurableType,
               of: pulumi.Input[str], grants: list[AccessGrant]) -> None:
        authoritative_grants(resource_name, securable_type, of, grants,
                             pulumi.ResourceOptions(parent=self))
        self.grants.extend(grants)


@dataclass(frozen=True)
class CatalogStorageArgs:
    environment: str
    access_connector_id: pulumi.Input[str]
    storage_root: pulumi.Input[str]
    workspace_id: pulumi.Input[str]
    owner: Principal


class CatalogStorage(_UnityCatalogComponent):
    """The storage credential and external location of the environment's catalog storage."""

    storage_root: pulumi.Output[str]

    def __init__(self, name: str, args: CatalogStorageArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:unitycatalog:CatalogStorage", name, opts)
        child = pulumi.ResourceOptions(parent=self)
        credential_name = f"{args.environment}_catalog_storage"
        credential = databricks.StorageCredential(
            f"{name}-credential",
            name=credential_name,
            azure_managed_identity=databricks.StorageCredentialAzureManagedIdentityArgs(
                access_connector_id=args.access_connector_id),
            isolation_mode=STORAGE_ISOLATED,
            owner=args.owner.name,
            comment=f"Managed catalog storage of the {args.environment} environment",
            opts=child)
        location_name = f"{args.environment}_catalog_root"
        location = databricks.ExternalLocation(
            f"{name}-location",
            name=location_name,
            url=args.storage_root,
            credential_name=credential.name,
            isolation_mode=STORAGE_ISOLATED,
            owner=args.owner.name,
            comment=f"Storage root of the {args.environment} catalogs",
            opts=child)
        for kind, securable, resource in (
                ("storage_credential", credential_name, credential),
                ("external_location", location_name, location)):
            self._owned(kind, securable, args.owner)
            self._bind(f"{name}-{kind.replace('_', '-')}-binding",
                       Binding(kind, securable, args.workspace_id, READ_WRITE), resource.name)
        self._grant(f"{name}-location-grants", "external_location", location.name,
                    [AccessGrant("external_location", location_name, args.owner, ("BROWSE",))])
        self.storage_root = location.url
        self.register_outputs({"storage_root": self.storage_root})


def _reader_grants(securable_type: SecurableType, securable: str,
                   readers: list[tuple[Principal, list[str]]]) -> list[AccessGrant]:
    return [AccessGrant(securable_type, securable, principal, tuple(privileges))
            for principal, privileges in readers if privileges]


@dataclass(frozen=True)
class GovernedCatalogArgs:
    catalog_name: str
    storage_root: pulumi.Input[str]
    workspace_id: pulumi.Input[str]
    owner: Principal
    catalog_readers: list[tuple[Principal, list[str]]]
    schema_readers: list[tuple[Principal, list[str]]]
    projects: list[str]
    model_readers: Principal | None = None
    protect: bool = False


# What the promotion readers hold: enough to read a model version, nothing more.
MODEL_READER_CATALOG_PRIVILEGES = ("USE_CATALOG",)
MODEL_READER_SCHEMA_PRIVILEGES = ("USE_SCHEMA", "EXECUTE")


class GovernedCatalog(_UnityCatalogComponent):
    """The environment's governed catalog: owned by the deployer, humans read and execute.

    Every ML project gets a features schema and a models schema.
    """

    catalog_name: pulumi.Output[str]
    schemas: dict[str, dict[str, str]]

    def __init__(self, name: str, args: GovernedCatalogArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:unitycatalog:GovernedCatalog", name, opts)
        governed = pulumi.ResourceOptions(parent=self, protect=args.protect)
        catalog = self._home_catalog(f"{name}-catalog", args.catalog_name, args.storage_root,
                                     args.workspace_id, args.owner,
                                     "Governed catalog: written only by CI/CD", governed)
        catalog_grants = _reader_grants("catalog", args.catalog_name, args.catalog_readers)
        if args.model_readers:
            catalog_grants.append(AccessGrant("catalog", args.catalog_name, args.model_readers,
                                              MODEL_READER_CATALOG_PRIVILEGES))
        self._grant(f"{name}-catalog-grants", "catalog", catalog.name, catalog_grants)

        self.schemas = {}
        for project in args.projects:
            features = self._schema(name, catalog, f"{project}_features",
                                    f"Feature tables of {project}", args, None, governed)
            models = self._schema(name, catalog, f"{project}_models",
                                  f"Registered models of {project}", args, args.model_readers,
                                  governed)
            self.schemas[project] = {"features": features, "models": models}
        self.catalog_name = catalog.name
        self.register_outputs({"catalog_name": self.catalog_name})

    def _schema(self, name: str, catalog: databricks.Catalog, schema_name: str, comment: str,
                args: GovernedCatalogArgs, model_readers: Principal | None,
                opts: pulumi.ResourceOptions) -> str:
        schema = databricks.Schema(
            f"{name}-{schema_name.replace('_', '-')}", catalog_name=catalog.name,
            name=schema_name, owner=args.owner.name, comment=comment, opts=opts)
        full_name = f"{args.catalog_name}.{schema_name}"
        self._owned("schema", full_name, args.owner)
        grants = _reader_grants("schema", full_name, args.schema_readers)
        if model_readers:
            grants.append(AccessGrant("schema", full_name, model_readers,
                                      MODEL_READER_SCHEMA_PRIVILEGES))
        self._grant(f"{name}-{schema_name.replace('_', '-')}-grants", "schema",
                    pulumi.Output.concat(catalog.name, ".", schema.name), grants)
        return full_name


@dataclass(frozen=True)
class DevelopmentCatalogArgs:
    catalog_name: str
    schema_name: str
    storage_root: pulumi.Input[str]
    workspace_id: pulumi.Input[str]
    owner: Principal
    data_scientists: Principal
    catalog_privileges: list[str] = field(default_factory=lambda: ["USE_CATALOG"])


class DevelopmentCatalog(_UnityCatalogComponent):
    """UAT only: data scientists write and grant in one feature-development schema."""

    catalog_name: pulumi.Output[str]
    schema_name: str

    def __init__(self, name: str, args: DevelopmentCatalogArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:unitycatalog:DevelopmentCatalog", name, opts)
        child = pulumi.ResourceOptions(parent=self)
        catalog = self._home_catalog(f"{name}-catalog", args.catalog_name, args.storage_root,
                                     args.workspace_id, args.owner,
                                     "Development catalog: feature prototypes, UAT only", child)
        self._grant(f"{name}-catalog-grants", "catalog", catalog.name,
                    _reader_grants("catalog", args.catalog_name,
                                   [(args.data_scientists, args.catalog_privileges)]))
        schema = databricks.Schema(
            f"{name}-schema", catalog_name=catalog.name, name=args.schema_name,
            owner=args.owner.name, comment="Feature development: data scientists write and grant",
            opts=child)
        full_name = f"{args.catalog_name}.{args.schema_name}"
        self._owned("schema", full_name, args.owner)
        self._grant(f"{name}-schema-grants", "schema",
                    pulumi.Output.concat(catalog.name, ".", schema.name),
                    [AccessGrant("schema", full_name, args.data_scientists,
                                 tuple(sorted(ADMINISTRATIVE_PRIVILEGES)))])
        self.catalog_name = catalog.name
        self.schema_name = full_name
        self.register_outputs({"catalog_name": self.catalog_name, "schema_name": full_name})


@dataclass(frozen=True)
class ModelPromotionArgs:
    source_catalog: str
    workspace_id: pulumi.Input[str]
    reader_group: str
    deployer_service_principal_id: pulumi.Input[str]
    account_provider: databricks.Provider


class ModelPromotion(_UnityCatalogComponent):
    """Prod only: the UAT catalog, bound read-only into Prod; Prod's deployer joins the readers.

    The reader group is created, and granted read on the UAT model schemas, by the uat stack,
    so no two stacks manage grants on the same securable.
    """

    def __init__(self, name: str, args: ModelPromotionArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:unitycatalog:ModelPromotion", name, opts)
        self._bind(f"{name}-source-binding",
                   Binding("catalog", args.source_catalog, args.workspace_id, READ_ONLY),
                   args.source_catalog)
        account = pulumi.InvokeOptions(provider=args.account_provider, parent=self)
        group = databricks.get_group_output(display_name=args.reader_group, opts=account)
        databricks.GroupMember(
            f"{name}-deployer-reads-models", group_id=group.id,
            member_id=args.deployer_service_principal_id,
            opts=pulumi.ResourceOptions(parent=self, provider=args.account_provider))
        self.register_outputs({})


class PromotionReaders(pulumi.ComponentResource):
    """UAT only: the account group that may read UAT's model schemas; Prod's deployer joins it.

    Pass the account-level Databricks provider through `opts.providers`.
    """

    def __init__(self, name: str, group_name: str,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:unitycatalog:PromotionReaders", name, None, opts)
        group = databricks.Group(f"{name}-group", display_name=group_name,
                                 workspace_access=False, databricks_sql_access=False,
                                 allow_cluster_create=False, allow_instance_pool_create=False,
                                 opts=pulumi.ResourceOptions(parent=self))
        self.principal = Principal(role="promotion_readers", kind="group",
                                   name=group.display_name)
        self.register_outputs({"group": group.display_name})
