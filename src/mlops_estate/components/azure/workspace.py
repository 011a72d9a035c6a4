"""The environment's Azure Databricks workspace: premium, secure cluster connectivity."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import databricks

from ..moves import child_options
from .keys import KeyReference


@dataclass(frozen=True)
class VnetInjectionArgs:
    virtual_network_id: pulumi.Input[str]
    """The ARM id of the virtual network the workspace's compute joins."""
    host_subnet: str
    """The host (public) subnet's name, delegated to Azure Databricks."""
    container_subnet: str
    """The container (private) subnet's name, delegated to Azure Databricks."""
    back_end_private_link: bool
    """Whether the clusters reach the control plane through a `databricks_ui_api` endpoint in
    the VNet: then Azure Databricks adds no NSG rules of its own for that path
    ("NoAzureDatabricksRules"; Microsoft Learn's private link decision table pairs it with
    back-end private link, public access enabled or not)."""
    after: list[pulumi.Resource] = field(default_factory=list)
    """What the workspace waits for: the subnets, with their NSG and NAT gateway."""


@dataclass(frozen=True)
class StorageFirewallArgs:
    """The root (DBFS) storage account behind its firewall, as Databricks' reference sets it
    (terraform-databricks-sra workspace/main.tf: default_storage_firewall_enabled,
    access_connector_id, a fixed storage_account_name)."""

    storage_account_name: str
    """The root storage account's name: fixed, so its ARM id is known before it exists."""
    access_connector_name: str
    """The access connector the workspace reaches its root storage with."""


@dataclass(frozen=True)
class WorkspaceEncryptionArgs:
    """Customer-managed keys of the workspace (Databricks' reference: azure/tf/modules/
    workspace/main.tf)."""

    managed_services: KeyReference
    """Notebooks, queries and secrets in the control plane."""
    managed_disks: KeyReference
    """The data disks of classic compute ("does not apply to serverless compute")."""
    workspace_storage: KeyReference | None
    """The root (DBFS) storage account's key; None until the workspace's storage identity
    may use it: that identity exists only once the workspace does, so this is the second
    `pulumi up`."""
    after: list[pulumi.Resource]
    """What the workspace waits for: Azure Databricks' grant on the managed services key,
    taken effect."""


@dataclass(frozen=True)
class EnhancedSecurityArgs:
    """The Enhanced Security and Compliance add-on's features, set on the workspace itself: on
    Azure the Databricks setting resources defer to it ("On Azure you need to use
    [azurerm_databricks_workspace] resource to configure this setting":
    terraform-provider-databricks docs/resources/*_setting.md)."""

    monitoring: bool
    automatic_cluster_update: bool
    compliance_standards: list[str]
    """Empty: no compliance security profile, which is permanent once enabled."""


@dataclass(frozen=True)
class AzureWorkspaceArgs:
    subscription_id: str
    """The subscription, for the managed resource group's id."""
    resource_group_name: pulumi.Input[str]
    """The resource group the workspace lives in."""
    location: str
    """The Azure region."""
    workspace_name: str
    """The workspace's name."""
    managed_resource_group: str
    """The resource group Azure Databricks creates for the workspace's managed resources."""
    public_network_access: str
    """"Enabled" or "Disabled": whether the front end is reachable from the internet."""
    tags: dict[str, str]
    """Tags on the workspace."""
    vnet_injection: VnetInjectionArgs | None = None
    """Deploy the workspace's compute into a virtual network."""
    storage_firewall: StorageFirewallArgs | None = None
    """Firewall the root storage; None leaves it open, as Azure Databricks creates it."""
    encryption: WorkspaceEncryptionArgs | None = None
    """Customer-managed keys; None: Microsoft-managed keys."""
    enhanced_security: EnhancedSecurityArgs | None = None
    """The Enhanced Security and Compliance features; None: the add-on is not used."""
    protect: bool = False
    """Protect the workspace against deletion (Prod)."""
    former_parent_urn: pulumi.Input[str] | None = None
    """The URN of the component that registered the workspace before, if any: an alias to it
    keeps an upgrade from replacing it."""


class AzureWorkspace(pulumi.ComponentResource):
    """A premium Azure Databricks workspace with secure cluster connectivity (no public IP).

    Pass the azure-native provider through `opts.providers`.
    """

    resource_id: pulumi.Output[str]
    workspace_id: pulumi.Output[str]
    workspace_url: pulumi.Output[str]

    def __init__(
        self, name: str, args: AzureWorkspaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:AzureWorkspace", name, None, opts)
        managed_group_id = (
            f"/subscriptions/{args.subscription_id}/resourceGroups/{args.managed_resource_group}"
        )
        connector = self._storage_connector(name, args)
        workspace = databricks.Workspace(
            f"{name}-workspace",
            workspace_name=args.workspace_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=databricks.SkuArgs(name="premium"),
            compute_mode=databricks.ComputeMode.HYBRID,
            managed_resource_group_id=managed_group_id,
            parameters=_workspace_parameters(
                args.vnet_injection, args.encryption, args.storage_firewall
            ),
            encryption=_encryption(args.encryption),
            enhanced_security_compliance=_enhanced_security(args.enhanced_security),
            public_network_access=args.public_network_access,
            required_nsg_rules=(
                databricks.RequiredNsgRules.NO_AZURE_DATABRICKS_RULES
                if args.vnet_injection and args.vnet_injection.back_end_private_link
                else databricks.RequiredNsgRules.ALL_RULES
            ),
            # "Not allowed in Serverless ComputeMode workspace" (DefaultStorageFirewall); the
            # estate's workspace is Hybrid.
            default_storage_firewall=(
                databricks.DefaultStorageFirewall.ENABLED if connector else None
            ),
            access_connector=(
                databricks.WorkspacePropertiesAccessConnectorArgs(
                    id=connector.id, identity_type=databricks.IdentityType.SYSTEM_ASSIGNED
                )
                if connector
                else None
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions.merge(
                child_options(self, args.former_parent_urn),
                pulumi.ResourceOptions(
                    protect=args.protect,
                    depends_on=[
                        *(args.encryption.after if args.encryption else []),
                        *(args.vnet_injection.after if args.vnet_injection else []),
                    ],
                ),
            ),
        )
        self.resource_id = workspace.id
        self.managed_disk_principal_id = workspace.managed_disk_identity.apply(
            lambda identity: identity.principal_id if identity else None
        )
        self.storage_principal_id = workspace.storage_account_identity.apply(
            lambda identity: identity.principal_id if identity else None
        )
        self.workspace_id = workspace.workspace_id
        self.workspace_url = workspace.workspace_url
        self.workspace = workspace
        self.root_storage_id = (
            f"{managed_group_id}/providers/Microsoft.Storage/storageAccounts/"
            f"{args.storage_firewall.storage_account_name}"
            if args.storage_firewall
            else None
        )
        """The root storage account's ARM id, known from the config; None if not fixed."""
        self.root_storage_connector_id = connector.id if connector else None
        self.register_outputs(
            {"workspace_id": self.workspace_id, "workspace_url": self.workspace_url}
        )

    def _storage_connector(
        self, name: str, args: AzureWorkspaceArgs
    ) -> databricks.AccessConnector | None:
        """The workspace's own access connector, apart from Unity Catalog's: Azure Databricks
        reaches the firewalled root storage with its identity."""
        if args.storage_firewall is None:
            return None
        return databricks.AccessConnector(
            f"{name}-workspace-access-connector",
            connector_name=args.storage_firewall.access_connector_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            identity=databricks.ManagedServiceIdentityArgs(
                type=databricks.ManagedServiceIdentityType.SYSTEM_ASSIGNED
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )


def _workspace_parameters(
    vnet: VnetInjectionArgs | None,
    encryption: WorkspaceEncryptionArgs | None,
    storage_firewall: StorageFirewallArgs | None,
) -> databricks.WorkspaceCustomParametersArgs:
    """Secure cluster connectivity always; VNet injection when configured; with customer-
    managed keys, the root storage prepared for its key ("Prepare the workspace for
    encryption. Enables the Managed Identity for managed storage account"), and its key once
    that identity may use it."""

    def text(value: str) -> databricks.WorkspaceCustomStringParameterArgs:
        return databricks.WorkspaceCustomStringParameterArgs(value=value)

    return databricks.WorkspaceCustomParametersArgs(
        enable_no_public_ip=databricks.WorkspaceNoPublicIPBooleanParameterArgs(value=True),
        custom_virtual_network_id=text(vnet.virtual_network_id) if vnet else None,
        custom_public_subnet_name=text(vnet.host_subnet) if vnet else None,
        custom_private_subnet_name=text(vnet.container_subnet) if vnet else None,
        storage_account_name=(
            text(storage_firewall.storage_account_name) if storage_firewall else None
        ),
        prepare_encryption=(
            databricks.WorkspaceCustomBooleanParameterArgs(value=True) if encryption else None
        ),
        encryption=(
            databricks.WorkspaceEncryptionParameterArgs(
                value=databricks.EncryptionArgs(
                    key_source=databricks.KeySource.MICROSOFT_KEYVAULT,
                    key_name=encryption.workspace_storage.name,
                    key_vault_uri=encryption.workspace_storage.vault_uri,
                    key_version=encryption.workspace_storage.version,
                )
            )
            if encryption and encryption.workspace_storage
            else None
        ),
    )


def _encryption(
    encryption: WorkspaceEncryptionArgs | None,
) -> databricks.WorkspacePropertiesEncryptionArgs | None:
    """Managed services and managed disks under the estate's keys; the disks follow the key's
    rotation ("Indicate whether the latest key version should be automatically used for
    Managed Disk Encryption": ManagedDiskEncryptionArgs)."""
    if encryption is None:
        return None
    services, disks = encryption.managed_services, encryption.managed_disks
    return databricks.WorkspacePropertiesEncryptionArgs(
        entities=databricks.EncryptionEntitiesDefinitionArgs(
            managed_services=databricks.EncryptionV2Args(
                key_source=databricks.EncryptionKeySource.MICROSOFT_KEYVAULT,
                key_vault_properties=databricks.EncryptionV2KeyVaultPropertiesArgs(
                    key_name=services.name,
                    key_vault_uri=services.vault_uri,
                    key_version=services.version,
                ),
            ),
            managed_disk=databricks.ManagedDiskEncryptionArgs(
                key_source=databricks.EncryptionKeySource.MICROSOFT_KEYVAULT,
                key_vault_properties=databricks.ManagedDiskEncryptionKeyVaultPropertiesArgs(
                    key_name=disks.name, key_vault_uri=disks.vault_uri, key_version=disks.version
                ),
                rotation_to_latest_key_version_enabled=True,
            ),
        )
    )


def _enhanced_security(
    enhanced: EnhancedSecurityArgs | None,
) -> databricks.EnhancedSecurityComplianceDefinitionArgs | None:
    if enhanced is None or not (
        enhanced.monitoring or enhanced.automatic_cluster_update or enhanced.compliance_standards
    ):
        return None

    def state(on: bool) -> str:
        return "Enabled" if on else "Disabled"

    standards = enhanced.compliance_standards
    return databricks.EnhancedSecurityComplianceDefinitionArgs(
        enhanced_security_monitoring=databricks.EnhancedSecurityMonitoringDefinitionArgs(
            value=state(enhanced.monitoring)
        ),
        automatic_cluster_update=databricks.AutomaticClusterUpdateDefinitionArgs(
            value=state(enhanced.automatic_cluster_update)
        ),
        compliance_security_profile=databricks.ComplianceSecurityProfileDefinitionArgs(
            value=state(bool(standards)), compliance_standards=standards or None
        ),
    )
