"""Serverless compute's network: private endpoints to the catalog storage, and no other egress.

"Serverless network connectivity is managed with network connectivity configurations
(NCCs)"; "When you add a private endpoint in an NCC, Azure Databricks creates a private
endpoint request to your Azure resource. Once the request is accepted on the resource side,
the private endpoint is used" (https://learn.microsoft.com/azure/databricks/security/network/
serverless-network-security/serverless-private-link). The estate accepts its own requests,
as Databricks' reference does (terraform-databricks-sra azure/tf/modules/self-approving-pe),
and puts the workspace under a restricted egress policy, under which "Destinations
configured through Unity Catalog locations or connections are automatically allowed"
(https://docs.databricks.com/security/network/serverless-network-security/
manage-network-policies.html).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_databricks as databricks
from pulumi_azure_native import storage

from ...vocabulary.network import (
    DNS_NAME,
    ENFORCED,
    RESTRICTED_ACCESS,
    STORAGE_GROUPS,
    is_ncc_endpoint_name,
    private_endpoint_name,
)

# The connection states the approval takes: a request still waiting, or its own approval.
APPROVABLE = frozenset({"Pending", "Approved"})


@dataclass(frozen=True)
class ServerlessNetworkArgs:
    ncc_name: str
    """The network connectivity configuration's name."""
    region: str
    """The workspace's region: "NCCs can only be referenced by your workspaces in the same
    region" (MwsNetworkConnectivityConfig.region)."""
    workspace_id: pulumi.Input[str]
    """The workspace bound to the NCC and to the egress policy."""
    storage_account_id: pulumi.Input[str]
    """The catalog storage account's ARM id."""
    storage_account_name: str
    """Its name, for the approvals."""
    resource_group_name: pulumi.Input[str]
    """Its resource group."""
    network_policy_id: str
    """The egress policy's id; never the account's `default-policy`, which every workspace
    without a policy of its own shares."""
    allowed_internet_destinations: list[str]
    """DNS names serverless compute may reach besides Unity Catalog's locations."""
    account_provider: pulumi.ProviderResource
    """The Databricks account-level provider: "This resource can only be used with an
    account-level provider!" (each of these resources' docs)."""
    azure_provider: pulumi.ProviderResource
    """The azure-native provider of the storage account's subscription."""
    after: list[pulumi.Resource] = field(default_factory=list)
    """What the storage account lookup waits for besides the rules: the account's other
    private endpoints, so it lists every connection the account has."""


class ServerlessNetwork(pulumi.ComponentResource):
    """An NCC bound to the workspace, its private endpoint rules to the catalog storage and
    their approval on the storage account, and the workspace's restricted egress policy."""

    ncc_id: pulumi.Output[str]
    rules: dict[str, databricks.MwsNccPrivateEndpointRule]
    """The NCC's private endpoint rules by sub-resource (dfs, blob)."""
    network_policy_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: ServerlessNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:ServerlessNetwork", name, None, opts)
        on_account = pulumi.ResourceOptions(parent=self, provider=args.account_provider)
        ncc = databricks.MwsNetworkConnectivityConfig(
            f"{name}-ncc", name=args.ncc_name, region=args.region, opts=on_account
        )
        # "A workspace can only be bound to a single NCC" (MwsNccBinding).
        databricks.MwsNccBinding(
            f"{name}-ncc-binding",
            network_connectivity_config_id=ncc.network_connectivity_config_id,
            workspace_id=args.workspace_id,
            opts=on_account,
        )
        self.rules = {
            group: databricks.MwsNccPrivateEndpointRule(
                f"{name}-ncc-{group}",
                network_connectivity_config_id=ncc.network_connectivity_config_id,
                resource_id=args.storage_account_id,
                group_id=group,
                opts=on_account,
            )
            for group in STORAGE_GROUPS
        }
        self._approve(name, args)
        policy = databricks.AccountNetworkPolicy(
            f"{name}-egress-policy",
            network_policy_id=args.network_policy_id,
            egress=databricks.AccountNetworkPolicyEgressArgs(
                network_access=databricks.AccountNetworkPolicyEgressNetworkAccessArgs(
                    restriction_mode=RESTRICTED_ACCESS,
                    allowed_internet_destinations=[
                        databricks.AccountNetworkPolicyEgressNetworkAccessAllowedInternetDestinationArgs(
                            destination=destination, internet_destination_type=DNS_NAME
                        )
                        for destination in args.allowed_internet_destinations
                    ],
                    policy_enforcement=databricks.AccountNetworkPolicyEgressNetworkAccessPolicyEnforcementArgs(
                        enforcement_mode=ENFORCED
                    ),
                )
            ),
            opts=on_account,
        )
        # "You cannot create or delete a workspace's network option; You can only update it"
        # (WorkspaceNetworkOption): this links the workspace to the estate's policy.
        databricks.WorkspaceNetworkOption(
            f"{name}-network-option",
            workspace_id=args.workspace_id,
            network_policy_id=policy.network_policy_id,
            opts=on_account,
        )
        self.ncc_id = ncc.network_connectivity_config_id
        self.network_policy_id = policy.network_policy_id
        self.register_outputs({"ncc_id": self.ncc_id})

    def _approve(self, name: str, args: ServerlessNetworkArgs) -> None:
        """Approve each rule's connection on the storage account.

        The connection exists once the rule does, pending; azure-native refuses to create a
        resource that exists ("cannot create already existing resource", its provider's
        CanCreate), so the approval imports the connection, and Pulumi then updates it to
        Approved ("If the resource's arguments differ from the imported state, the import
        will succeed, and the resource will then be modified": Pulumi's `import` option,
        since pulumi/pulumi#19339). An import id must be a plain string, so the approval is
        registered once the lookup has answered: a preview before the rule exists shows it
        as unknown, and the policy pack judges it when `pulumi up` registers it.

        The connection is chosen anew on every run. Should Databricks' endpoint go away while
        another endpoint of the same name requests a connection, the approval would move to
        that one (a replacement in the diff): a change to an approval's connection name is a
        change of who reaches the storage, to review like a change of grants (README,
        "Private networking").
        """
        account = storage.get_storage_account_output(
            account_name=args.storage_account_name,
            resource_group_name=args.resource_group_name,
            opts=pulumi.InvokeOutputOptions(
                parent=self,
                provider=args.azure_provider,
                depends_on=[*self.rules.values(), *args.after],
            ),
        )
        for group, rule in self.rules.items():
            pulumi.Output.all(account.private_endpoint_connections, rule.endpoint_name).apply(
                lambda found, group=group: self._approval(name, group, args, *found)
            )

    def _approval(
        self,
        name: str,
        group: str,
        args: ServerlessNetworkArgs,
        connections: Sequence[Any] | None,
        endpoint_name: str,
    ) -> None:
        # SRA picks "pe.name if endswith(pe.properties.privateEndpoint.id, endpoint_name)"; a
        # suffix is not enough, since anyone may request a connection to the account from a
        # private endpoint of their own with a name that ends like it. The estate approves
        # only a connection whose private endpoint is named exactly the rule's endpoint_name
        # (its id's last segment), that name in Databricks' form ("databricks-<uuid>-pe-<hex>":
        # MwsNccPrivateEndpointRule.endpoint_name), that is the only such connection, and that
        # is Pending or already Approved (azure-native storage.
        # PrivateEndpointServiceConnectionStatus: Pending, Approved, Rejected). The SDK hands
        # the connections over as mappings of snake_case keys.
        if not is_ncc_endpoint_name(str(endpoint_name)):
            pulumi.log.warn(
                f"the NCC rule's endpoint name {endpoint_name!r} is not in Databricks' form: "
                "nothing is approved",
                resource=self,
            )
            return
        matches = [
            c
            for c in connections or []
            if private_endpoint_name(str((c.get("private_endpoint") or {}).get("id", "")))
            == endpoint_name
        ]
        if len(matches) > 1:
            pulumi.log.warn(
                f"{len(matches)} private endpoint connections on {args.storage_account_name} "
                f"come from endpoints named {endpoint_name}: one is not Databricks'. Nothing "
                "is approved; reject the others on the account, then run `pulumi up` again",
                resource=self,
            )
            return
        if not matches:
            pulumi.log.warn(
                f"no private endpoint connection of {endpoint_name} on "
                f"{args.storage_account_name} yet: the next `pulumi up` approves it",
                resource=self,
            )
            return
        connection = matches[0]
        state = (connection.get("private_link_service_connection_state") or {}).get("status")
        if state not in APPROVABLE:
            pulumi.log.warn(
                f"the connection of {endpoint_name} on {args.storage_account_name} is {state}: "
                "only a Pending or Approved one is approved",
                resource=self,
            )
            return
        storage.PrivateEndpointConnection(
            f"{name}-ncc-{group}-approval-{endpoint_name.rsplit('-', 1)[-1]}",
            account_name=args.storage_account_name,
            resource_group_name=args.resource_group_name,
            private_endpoint_connection_name=connection["name"],
            private_link_service_connection_state=storage.PrivateLinkServiceConnectionStateArgs(
                status=storage.PrivateEndpointServiceConnectionStatus.APPROVED,
                description=f"Approved for the Databricks NCC {args.ncc_name} ({group})",
            ),
            opts=pulumi.ResourceOptions(
                parent=self, provider=args.azure_provider, import_=connection["id"]
            ),
        )
