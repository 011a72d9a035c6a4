"""The governed catalog of an environment, and UAT's development catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.unity_catalog import ADMINISTRATIVE_PRIVILEGES
from ..access import AccessGrant, Principal
from .base import UnityCatalogComponent, reader_grants


@dataclass(frozen=True)
class GovernedCatalogArgs:
    catalog_name: str
    """The catalog's name."""
    storage_root: pulumi.Input[str]
    """The environment's storage root; the catalog's managed storage is under it."""
    workspace_id: pulumi.Input[str]
    """The environment's workspace, the only one the catalog is bound to."""
    owner: Principal
    """The platform runner, which declares the catalog: it owns the catalog and its schemas."""
    writer: Principal
    """The deployer: it holds ALL_PRIVILEGES on the catalog, so CI/CD writes in it."""
    catalog_readers: list[tuple[Principal, list[str]]]
    """What each human principal holds on the catalog (read and execute only)."""
    schema_readers: list[tuple[Principal, list[str]]]
    """What each human principal holds on every project schema (read and execute only)."""
    projects: list[str]
    """The ML projects: each gets a features and a models schema."""
    model_readers: Principal | None = None
    """UAT: the group that may read the models schemas, for promotion into Prod."""
    protect: bool = False
    """Protect the catalog and its schemas against deletion (Prod)."""


# Ownership stays with the identity that runs `pulumi up`. A metastore admin that does not own
# a schema may change "only the owner field" of it (databricks-sdk SchemasAPI.update), and
# changing a comment or a property needs the owner or MANAGE (ALTER SCHEMA, COMMENT ON in
# https://learn.microsoft.com/azure/databricks/sql/language-manual): were the deployer the
# owner, every later update of a catalog or schema would fail with PERMISSION_DENIED. The
# deployer writes through ALL_PRIVILEGES instead, which gives every privilege but MANAGE
# ("Manage Unity Catalog object ownership", learn.microsoft.com).
WRITER_PRIVILEGES = ("ALL_PRIVILEGES",)

# What the promotion readers hold: enough to read a model version, nothing more.
MODEL_READER_CATALOG_PRIVILEGES = ("USE_CATALOG",)
MODEL_READER_SCHEMA_PRIVILEGES = ("USE_SCHEMA", "EXECUTE")


class GovernedCatalog(UnityCatalogComponent):
    """The environment's governed catalog: the runner owns it, the deployer writes, humans
    read and execute.

    Every ML project gets a features schema and a models schema.
    """

    catalog_name: pulumi.Output[str]
    schemas: dict[str, dict[str, str]]

    def __init__(
        self, name: str, args: GovernedCatalogArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:GovernedCatalog", name, opts)
        governed = pulumi.ResourceOptions(parent=self, protect=args.protect)
        catalog = self._home_catalog(
            f"{name}-catalog",
            args.catalog_name,
            args.storage_root,
            args.workspace_id,
            args.owner,
            "Governed catalog: written only by CI/CD",
            governed,
        )
        catalog_grants = [
            AccessGrant("catalog", args.catalog_name, args.writer, WRITER_PRIVILEGES),
            *reader_grants("catalog", args.catalog_name, args.catalog_readers),
        ]
        if args.model_readers:
            catalog_grants.append(
                AccessGrant(
                    "catalog",
                    args.catalog_name,
                    args.model_readers,
                    MODEL_READER_CATALOG_PRIVILEGES,
                )
            )
        self._grant(f"{name}-catalog-grants", "catalog", catalog.name, catalog_grants)

        self.schemas = {}
        for project in args.projects:
            features = self._schema(
                name,
                catalog,
                f"{project}_features",
                f"Feature tables of {project}",
                args,
                None,
                governed,
            )
            models = self._schema(
                name,
                catalog,
                f"{project}_models",
                f"Registered models of {project}",
                args,
                args.model_readers,
                governed,
            )
            self.schemas[project] = {"features": features, "models": models}
        self.catalog_name = catalog.name
        self.register_outputs({"catalog_name": self.catalog_name})

    def _schema(
        self,
        name: str,
        catalog: databricks.Catalog,
        schema_name: str,
        comment: str,
        args: GovernedCatalogArgs,
        model_readers: Principal | None,
        opts: pulumi.ResourceOptions,
    ) -> str:
        schema = databricks.Schema(
            f"{name}-{schema_name.replace('_', '-')}",
            catalog_name=catalog.name,
            name=schema_name,
            owner=args.owner.name,
            comment=comment,
            opts=opts,
        )
        full_name = f"{args.catalog_name}.{schema_name}"
        self._owned("schema", full_name, args.owner)
        grants = reader_grants("schema", full_name, args.schema_readers)
        if model_readers:
            grants.append(
                AccessGrant("schema", full_name, model_readers, MODEL_READER_SCHEMA_PRIVILEGES)
            )
        self._grant(
            f"{name}-{schema_name.replace('_', '-')}-grants",
            "schema",
            pulumi.Output.concat(catalog.name, ".", schema.name),
            grants,
        )
        return full_name


@dataclass(frozen=True)
class DevelopmentCatalogArgs:
    catalog_name: str
    """The development catalog's name."""
    schema_name: str
    """The feature-development schema, where data scientists write and grant."""
    storage_root: pulumi.Input[str]
    """The environment's storage root; the catalog's managed storage is under it."""
    workspace_id: pulumi.Input[str]
    """The UAT workspace, the only one the catalog is bound to."""
    owner: Principal
    """The platform runner, which declares the catalog: it owns the catalog and the schema."""
    data_scientists: Principal
    """The data scientists' group."""
    catalog_privileges: list[str] = field(default_factory=lambda: ["USE_CATALOG"])
    """What data scientists hold on the catalog itself."""


class DevelopmentCatalog(UnityCatalogComponent):
    """UAT only: data scientists write and grant in one feature-development schema."""

    catalog_name: pulumi.Output[str]
    schema_name: str

    def __init__(
        self, name: str, args: DevelopmentCatalogArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:DevelopmentCatalog", name, opts)
        child = pulumi.ResourceOptions(parent=self)
        catalog = self._home_catalog(
            f"{name}-catalog",
            args.catalog_name,
            args.storage_root,
            args.workspace_id,
            args.owner,
            "Development catalog: feature prototypes, UAT only",
            child,
        )
        self._grant(
            f"{name}-catalog-grants",
            "catalog",
            catalog.name,
            reader_grants(
                "catalog", args.catalog_name, [(args.data_scientists, args.catalog_privileges)]
            ),
        )
        schema = databricks.Schema(
            f"{name}-schema",
            catalog_name=catalog.name,
            name=args.schema_name,
            owner=args.owner.name,
            comment="Feature development: data scientists write and grant",
            opts=child,
        )
        full_name = f"{args.catalog_name}.{args.schema_name}"
        self._owned("schema", full_name, args.owner)
        self._grant(
            f"{name}-schema-grants",
            "schema",
            pulumi.Output.concat(catalog.name, ".", schema.name),
            [
                AccessGrant(
                    "schema",
                    full_name,
                    args.data_scientists,
                    tuple(sorted(ADMINISTRATIVE_PRIVILEGES)),
                )
            ],
        )
        self.catalog_name = catalog.name
        self.schema_name = full_name
        self.register_outputs({"catalog_name": self.catalog_name, "schema_name": full_name})
