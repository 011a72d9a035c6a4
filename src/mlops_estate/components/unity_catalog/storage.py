"""The storage credential and external location of an environment's catalog storage."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.unity_catalog import (
    READ_WRITE,
    STORAGE_ISOLATED,
    Binding,
    catalog_storage_names,
)
from ..access import Principal
from .base import UnityCatalogComponent


@dataclass(frozen=True)
class CatalogStorageArgs:
    environment: str
    """uat or prod: it names the credential and the location."""
    access_connector_id: pulumi.Input[str]
    """The Access Connector for Azure Databricks whose identity reaches the storage."""
    storage_root: pulumi.Input[str]
    """The abfss:// URL of the environment's catalog storage container."""
    workspace_id: pulumi.Input[str]
    """The environment's workspace, the only one the credential and location are bound to."""
    owner: Principal
    """The platform runner, which declares them: it owns the credential and the location."""
    after: list[pulumi.Resource]
    """What the credential and the location wait for: the access connector's role on the
    storage having taken effect (Unity Catalog validates it when the location is created)."""


class CatalogStorage(UnityCatalogComponent):
    """The storage credential and external location of the environment's catalog storage.

    No one but their owner, the platform runner, holds a privilege on them: the catalogs'
    managed storage is reached through the catalogs. (BROWSE, which earlier versions granted
    here, is documented for catalogs only.)
    """

    storage_root: pulumi.Output[str]

    def __init__(
        self, name: str, args: CatalogStorageArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:CatalogStorage", name, opts)
        child = pulumi.ResourceOptions(parent=self, depends_on=args.after)
        # The rules tell this environment's storage from another's by these names.
        credential_name, location_name = catalog_storage_names(args.environment)
        credential = databricks.StorageCredential(
            f"{name}-credential",
            name=credential_name,
            azure_managed_identity=databricks.StorageCredentialAzureManagedIdentityArgs(
                access_connector_id=args.access_connector_id
            ),
            isolation_mode=STORAGE_ISOLATED,
            owner=args.owner.name,
            comment=f"Managed catalog storage of the {args.environment} environment",
            opts=child,
        )
        location = databricks.ExternalLocation(
            f"{name}-location",
            name=location_name,
            url=args.storage_root,
            credential_name=credential.name,
            isolation_mode=STORAGE_ISOLATED,
            owner=args.owner.name,
            comment=f"Storage root of the {args.environment} catalogs",
            opts=child,
        )
        for kind, securable, resource in (
            ("storage_credential", credential_name, credential),
            ("external_location", location_name, location),
        ):
            self._owned(kind, securable, args.owner)
            self._bind(
                f"{name}-{kind.replace('_', '-')}-binding",
                Binding(kind, securable, args.workspace_id, READ_WRITE),
                resource.name,
            )
        self.storage_root = location.url
        self.register_outputs({"storage_root": self.storage_root})
