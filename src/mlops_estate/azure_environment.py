"""Azure side of an environment: resource group, catalog storage, access connector, workspace."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, databricks, resources, storage

from .config import AzureSettings, NetworkSettings

# Built-in Azure role "Storage Blob Data Contributor".
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
CATALOG_CONTAINER = "catalog"


@dataclass(frozen=True)
class AzureEnvironmentArgs:
    azure: AzureSettings
    network: NetworkSettings
    environment: str
    protect: bool
    workspace_tags: dict[str, str]


class AzureEnvironment(pulumi.ComponentResource):
    """ADLS Gen2 storage for managed catalogs, its access connector, and a hardened workspace.

    Pass the azure-native provider through `opts.providers`.
    """

    resource_group_name: pulumi.Output[str]
    storage_account_name: pulumi.Output[str]
    storage_account_id: pulumi.Output[str]
    catalog_storage_root: pulumi.Output[str]
    access_connector_id: pulumi.Output[str]
    access_connector_principal_id: pulumi.Output[str]
    workspace_resource_id: pulumi.Output[str]
    workspace_id: pulumi.Output[str]
    workspace_url: pulumi.Output[str]

    def __init__(self, name: str, args: AzureEnvironmentArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:azure:AzureEnvironment", name, None, opts)
        azure = args.azure
        tags = {"environment": args.environment, "managed-by": "mlops-estate", **azure.tags}
        child = pulumi.ResourceOptions(parent=self)
        protected = pulumi.ResourceOptions(parent=self, protect=args.protect)

        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=azure.resource_group, location=azure.location,
            tags=tags, opts=child)

        account = storage.StorageAccount(
            f"{name}-storage",
            account_name=azure.storage_account,
            resource_group_name=group.name,
            location=azure.location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=storage.SkuName.STANDARD_ZRS),
            is_hns_enabled=True,
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            tags=tags,
            opts=protected)

        container = storage.BlobContainer(
            f"{name}-catalog-container",
            container_name=CATALOG_CONTAINER,
            account_name=account.name,
            resource_group_name=group.name,
            public_access=storage.PublicAccess.NONE,
            opts=child)

        connector = databricks.AccessConnector(
            f"{name}-access-connector",
            connector_name=azure.access_connector,
            resource_group_name=group.name,
            location=azure.location,
            identity=databricks.ManagedServiceIdentityArgs(
                type=databricks.ManagedServiceIdentityType.SYSTEM_ASSIGNED),
            tags=tags,
            opts=child)
        connector_principal_id = connector.identity.apply(lambda identity: identity.principal_id)

        authorization.RoleAssignment(
            f"{name}-connector-blob-contributor",
            principal_id=connector_principal_id,
            principal_type=authorization.PrincipalType.SERVICE_PRINCIPAL,
            role_definition_id=(f"/subscriptions/{azure.subscription_id}/providers/"
                                f"Microsoft.Authorization/roleDefinitions/"
                                f"{STORAGE_BLOB_DATA_CONTRIBUTOR}"),
            scope=account.id,
            description="Unity Catalog access connector writes the environment's managed "
                        "catalog storage",
            opts=child)

        workspace = databricks.Workspace(
            f"{name}-workspace",
            workspace_name=azure.workspace,
            resource_group_name=group.name,
            location=azure.location,
            sku=databricks.SkuArgs(name="premium"),
            compute_mode=databricks.ComputeMode.HYBRID,
            managed_resource_group_id=(f"/subscriptions/{azure.subscription_id}/resourceGroups/"
                                       f"{azure.managed_resource_group}"),
            parameters=_workspace_parameters(args.network),
            public_network_access=args.network.public_network_access,
            required_nsg_rules=(databricks.RequiredNsgRules.NO_AZURE_DATABRICKS_RULES
                                if args.network.public_network_access == "Disabled"
                                else databricks.RequiredNsgRules.ALL_RULES),
            tags={**tags, **args.workspace_tags},
            opts=protected)

        self.resource_group_name = group.name
        self.storage_account_name = account.name
        self.storage_account_id = account.id
        self.catalog_storage_root = pulumi.Output.format(
            "abfss://{0}@{1}.dfs.core.windows.net/", container.name, account.name)
        self.access_connector_id = connector.id
        self.access_connector_principal_id = connector_principal_id
        self.workspace_resource_id = workspace.id
        self.workspace_id = workspace.workspace_id
        self.workspace_url = workspace.workspace_url
        self.register_outputs({
            "resource_group_name": self.resource_group_name,
            "storage_account_name": self.storage_account_name,
            "catalog_storage_root": self.catalog_storage_root,
            "access_connector_id": self.access_connector_id,
            "workspace_id": self.workspace_id,
            "workspace_url": self.workspace_url,
        })


def _workspace_parameters(network: NetworkSettings) -> databricks.WorkspaceCustomParametersArgs:
    """Secure cluster connectivity always; VNet injection when configured."""
    vnet = network.vnet_injection

    def text(value: str) -> databricks.WorkspaceCustomStringParameterArgs:
        return databricks.WorkspaceCustomStringParameterArgs(value=value)

    return databricks.WorkspaceCustomParametersArgs(
        enable_no_public_ip=databricks.WorkspaceNoPublicIPBooleanParameterArgs(value=True),
        custom_virtual_network_id=text(vnet.virtual_network_id) if vnet else None,
        custom_public_subnet_name=text(vnet.public_subnet) if vnet else None,
        custom_private_subnet_name=text(vnet.private_subnet) if vnet else None,
    )
