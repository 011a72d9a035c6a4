"""The environment's managed catalog storage: ADLS Gen2, and the access connector that uses it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumiverse_time as time
from pulumi_azure_native import authorization, databricks, storage

from ...vocabulary.azure import STORAGE_BLOB_DATA_CONTRIBUTOR, role_definition_id
from ..moves import child_options
from .roles import role_propagated

CATALOG_CONTAINER = "catalog"


@dataclass(frozen=True)
class CatalogStorageAccountArgs:
    subscription_id: str
    """The subscription, for the role definition's id."""
    tenant_id: str
    """The Entra tenant of the access connector's identity."""
    resource_group_name: pulumi.Input[str]
    """The resource group the account and the connector live in."""
    location: str
    """The Azure region."""
    account_name: str
    """The storage account's globally unique name."""
    connector_name: str
    """The Access Connector for Azure Databricks that Unity Catalog reaches the storage with."""
    tags: dict[str, str]
    """Tags on every resource."""
    protect: bool = False
    """Protect the storage account, the container and the access connector against deletion
    (Prod). The container and the connector outlive the stack in every environment."""
    former_parent_urn: pulumi.Input[str] | None = None
    """The URN of the component that registered these resources before, if any: an alias to it
    keeps an upgrade from replacing them."""


class CatalogStorageAccount(pulumi.ComponentResource):
    """An ADLS Gen2 account for the managed catalogs, and an access connector that writes it.

    The account is hardened: HTTPS only, TLS 1.2, no public blob access, no shared keys.
    Pass the azure-native provider through `opts.providers`.
    """

    account_id: pulumi.Output[str]
    account_name: pulumi.Output[str]
    catalog_storage_root: pulumi.Output[str]
    access_connector_id: pulumi.Output[str]
    access_connector_principal_id: pulumi.Output[str]
    storage_access_ready: time.Sleep
    """Created once the access connector's role on the storage has had time to take effect:
    Unity Catalog validates that access when the external location is created."""

    def __init__(
        self, name: str, args: CatalogStorageAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:CatalogStorageAccount", name, None, opts)
        child = child_options(self, args.former_parent_urn)
        protected = pulumi.ResourceOptions.merge(
            child, pulumi.ResourceOptions(protect=args.protect)
        )
        # The container holds the catalogs' data, and the connector is the only identity that
        # reaches it: both are kept when the stack no longer declares them.
        kept = pulumi.ResourceOptions.merge(
            protected, pulumi.ResourceOptions(retain_on_delete=True)
        )

        connector = databricks.AccessConnector(
            f"{name}-access-connector",
            connector_name=args.connector_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            identity=databricks.ManagedServiceIdentityArgs(
                type=databricks.ManagedServiceIdentityType.SYSTEM_ASSIGNED
            ),
            tags=args.tags,
            opts=kept,
        )
        account = storage.StorageAccount(
            f"{name}-storage",
            account_name=args.account_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=storage.SkuName.STANDARD_ZRS),
            is_hns_enabled=True,
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            # No public endpoint: compute reaches the account through private endpoints (in
            # the workspace's VNet for classic compute, the NCC's for serverless), as
            # Databricks' security reference architecture builds it (terraform-databricks-sra
            # azure/tf/modules/catalog/storage_account.tf: public_network_access_enabled
            # false, default_action "Deny", bypass ["None"], private_link_access to the
            # connector). The firewall rules below govern the public endpoint ("Storage
            # firewall rules apply to the public endpoint of a storage account"), yet
            # resource instances configured on it "will remain in effect" with public access
            # Disabled ("those resources and services might still have access"; Microsoft
            # Learn, storage-network-security-overview). So the rule set is explicit: deny,
            # no trusted-service bypass (NetworkRuleSetArgs defaults to Allow and
            # AzureServices when left out), and one resource instance, the access connector,
            # whose identity Unity Catalog's control plane validates and reaches the storage
            # with, as the reference keeps it.
            public_network_access=storage.PublicNetworkAccess.DISABLED,
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action=storage.DefaultAction.DENY,
                bypass=storage.Bypass.NONE,
                resource_access_rules=[
                    storage.ResourceAccessRuleArgs(
                        resource_id=connector.id, tenant_id=args.tenant_id
                    )
                ],
            ),
            tags=args.tags,
            opts=protected,
        )

        container = storage.BlobContainer(
            f"{name}-catalog-container",
            container_name=CATALOG_CONTAINER,
            account_name=account.name,
            resource_group_name=args.resource_group_name,
            public_access=storage.PublicAccess.NONE,
            opts=kept,
        )

        connector_principal_id = connector.identity.apply(lambda identity: identity.principal_id)

        role_assignment = authorization.RoleAssignment(
            f"{name}-connector-blob-contributor",
            principal_id=connector_principal_id,
            principal_type=authorization.PrincipalType.SERVICE_PRINCIPAL,
            role_definition_id=role_definition_id(
                args.subscription_id, STORAGE_BLOB_DATA_CONTRIBUTOR
            ),
            scope=account.id,
            description="Unity Catalog access connector writes the environment's managed "
            "catalog storage",
            opts=child,
        )
        self.storage_access_ready = role_propagated(
            f"{name}-storage-access-propagated", role_assignment, self
        )

        self.account_id = account.id
        self.account_name = account.name
        self.catalog_storage_root = pulumi.Output.format(
            "abfss://{0}@{1}.dfs.core.windows.net/", container.name, account.name
        )
        self.access_connector_id = connector.id
        self.access_connector_principal_id = connector_principal_id
        self.register_outputs(
            {
                "account_name": self.account_name,
                "catalog_storage_root": self.catalog_storage_root,
                "access_connector_id": self.access_connector_id,
            }
        )
