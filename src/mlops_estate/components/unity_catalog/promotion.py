"""Model promotion from UAT to Prod, without retraining: a read-only path, one group wide."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.unity_catalog import READ_ONLY, Binding
from ..access import Principal
from .base import UnityCatalogComponent


@dataclass(frozen=True)
class ModelPromotionArgs:
    source_catalog: str
    """The UAT catalog that holds the validated models."""
    workspace_id: pulumi.Input[str]
    """The Prod workspace, bound read-only to the UAT catalog."""
    reader_group: str
    """The account group, created by the uat stack, that may read UAT's models schemas."""
    deployer_service_principal_id: pulumi.Input[str]
    """The Prod deployer's service principal, which joins the reader group."""
    account_provider: databricks.Provider
    """The account-level Databricks provider, for the group membership."""


class ModelPromotion(UnityCatalogComponent):
    """Prod only: the UAT catalog, bound read-only into Prod; Prod's deployer joins the readers.

    The reader group is created, and granted read on the UAT model schemas, by the uat stack,
    so no two stacks manage grants on the same securable.
    """

    def __init__(
        self, name: str, args: ModelPromotionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:ModelPromotion", name, opts)
        self._bind(
            f"{name}-source-binding",
            Binding("catalog", args.source_catalog, args.workspace_id, READ_ONLY),
            args.source_catalog,
        )
        account = pulumi.InvokeOptions(provider=args.account_provider, parent=self)
        group = databricks.get_group_output(display_name=args.reader_group, opts=account)
        databricks.GroupMember(
            f"{name}-deployer-reads-models",
            group_id=group.id,
            member_id=args.deployer_service_principal_id,
            opts=pulumi.ResourceOptions(parent=self, provider=args.account_provider),
        )
        self.register_outputs({})


@dataclass(frozen=True)
class PromotionReadersArgs:
    group_name: str
    """The account group's display name; the prod stack looks it up by this name."""


class PromotionReaders(pulumi.ComponentResource):
    """UAT only: the account group that may read UAT's model schemas; Prod's deployer joins it.

    Pass the account-level Databricks provider through `opts.providers`.
    """

    def __init__(
        self, name: str, args: PromotionReadersArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:PromotionReaders", name, None, opts)
        # No entitlements here: on an account-level group they are ignored ("applicable only
        # for workspace-level groups", pulumi_databricks.Group); the group enters no workspace.
        group = databricks.Group(
            f"{name}-group",
            display_name=args.group_name,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.principal = Principal(role="promotion_readers", kind="group", name=group.display_name)
        self.register_outputs({"group": group.display_name})
