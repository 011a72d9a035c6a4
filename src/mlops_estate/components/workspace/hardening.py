"""Workspace settings that back the isolation: view ACLs, tokens, the workspace model registry."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.workspace import CAN_MANAGE, CAN_READ, CAN_USE, REGISTRY_ROOT
from ..access import PermissionEntry, Principal, authoritative_permissions


@dataclass(frozen=True)
class WorkspaceHardeningArgs:
    max_token_lifetime_days: int
    """The lifetime of new personal access tokens, in days."""
    token_users: list[Principal]
    """The service principals that may use tokens (CAN_USE)."""
    registry_read_only_for: list[Principal] | None
    """Prod: the humans who get CAN_READ on every workspace model; None leaves it alone."""
    registry_manager: Principal
    """The principal that manages the workspace model registry (CAN_MANAGE)."""


class WorkspaceHardening(pulumi.ComponentResource):
    """View ACLs enforced; tokens short-lived and for service principals only.

    With `registry_read_only_for` set (Prod), those humans get CAN_READ on every workspace
    model and only the manager more. Pass the workspace provider through `opts.providers`.
    """

    def __init__(
        self, name: str, args: WorkspaceHardeningArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:WorkspaceHardening", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = {
            "enforceWorkspaceViewAcls": "true",
            "enforceClusterViewAcls": "true",
            "enableJobViewAcls": "true",
            "enableTokensConfig": "true",
            "maxTokenLifetimeDays": str(args.max_token_lifetime_days),
        }
        # "Upon resource deletion, properties that start with `enable` or `enforce` will be
        # reset to `false`" (pulumi_databricks.WorkspaceConf): a removal, a rename or a
        # replacement would switch the view ACLs off, so the settings outlive the resource.
        databricks.WorkspaceConf(
            f"{name}-conf",
            custom_config=self.settings,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(retain_on_delete=True)),
        )
        self.token_access = [PermissionEntry(p, CAN_USE) for p in args.token_users]
        authoritative_permissions(
            f"{name}-token-usage", self.token_access, child, authorization="tokens"
        )
        self.registry_access: list[PermissionEntry] = []
        if args.registry_read_only_for is not None:
            self.registry_access = [PermissionEntry(args.registry_manager, CAN_MANAGE)] + [
                PermissionEntry(p, CAN_READ) for p in args.registry_read_only_for
            ]
            authoritative_permissions(
                f"{name}-model-registry",
                self.registry_access,
                child,
                registered_model_id=REGISTRY_ROOT,
            )
        self.register_outputs({})
