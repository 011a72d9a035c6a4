"""The environment's Azure Databricks workspace: premium, secure cluster connectivity."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import databricks

from ..moves import child_options


@dataclass(frozen=True)
class VnetInjectionArgs:
    virtual_network_id: str
    """The ARM id of the existing virtual network the workspace's compute joins."""
    public_subnet: str
    """The host (public) subnet's name."""
    private_subnet: str
    """The container (private) subnet's name."""


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
    """Deploy the workspace's compute into an existing virtual network."""
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
        workspace = databricks.Workspace(
            f"{name}-workspace",
            workspace_name=args.workspace_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=databricks.SkuArgs(name="premium"),
            compute_mode=databricks.ComputeMode.HYBRID,
            managed_resource_group_id=(
                f"/subscriptions/{args.subscription_id}/resourceGroups/"
                f"{args.managed_resource_group}"
            ),
            parameters=_workspace_parameters(args.vnet_injection),
            public_network_access=args.public_network_access,
            required_nsg_rules=(
                databricks.RequiredNsgRules.NO_AZURE_DATABRICKS_RULES
                if args.public_network_access == "Disabled"
                else databricks.RequiredNsgRules.ALL_RULES
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions.merge(
                child_options(self, args.former_parent_urn),
                pulumi.ResourceOptions(protect=args.protect),
            ),
        )
        self.resource_id = workspace.id
        self.workspace_id = workspace.workspace_id
        self.workspace_url = workspace.workspace_url
        self.register_outputs(
            {"workspace_id": self.workspace_id, "workspace_url": self.workspace_url}
        )


def _workspace_parameters(
    vnet: VnetInjectionArgs | None,
) -> databricks.WorkspaceCustomParametersArgs:
    """Secure cluster connectivity always; VNet injection when configured."""

    def text(value: str) -> databricks.WorkspaceCustomStringParameterArgs:
        return databricks.WorkspaceCustomStringParameterArgs(value=value)

    return databricks.WorkspaceCustomParametersArgs(
        enable_no_public_ip=databricks.WorkspaceNoPublicIPBooleanParameterArgs(value=True),
        custom_virtual_network_id=text(vnet.virtual_network_id) if vnet else None,
        custom_public_subnet_name=text(vnet.public_subnet) if vnet else None,
        custom_private_subnet_name=text(vnet.private_subnet) if vnet else None,
    )
