"""Workspace settings that back the isolation: view ACLs, tokens, the workspace model registry."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.workspace import (
    CAN_MANAGE,
    CAN_READ,
    CAN_USE,
    REGISTRY_ROOT,
    VERBOSE_AUDIT_LOGS,
)
from ..access import PermissionEntry, Principal, authoritative_permissions


@dataclass(frozen=True)
class WorkspaceHardeningArgs:
    tokens_enabled: bool
    """Whether the workspace allows personal access tokens at all."""
    manage_token_permissions: bool
    """Whether to set who may use tokens: Databricks refuses until one token exists."""
    max_token_lifetime_days: int
    """The lifetime of new personal access tokens, in days."""
    token_users: list[Principal]
    """The service principals that may use tokens (CAN_USE), when they are managed."""
    registry_read_only_for: list[Principal] | None
    """Prod: the humans who get CAN_READ on every workspace model; None leaves it alone."""
    registry_manager: Principal
    """The principal that manages the workspace model registry (CAN_MANAGE)."""
    protect: bool
    """Prod: the settings cannot be deleted by `pulumi up` or `destroy`."""
    after: list[pulumi.Resource]
    """What the access lists wait for: the named principals being visible in the workspace."""


class WorkspaceHardening(pulumi.ComponentResource):
    """View ACLs enforced; personal access tokens off unless the config turns them on.

    With `registry_read_only_for` set (Prod), those humans get CAN_READ on every workspace
    model and only the manager more. Pass the workspace provider through `opts.providers`.
    """

    def __init__(
        self, name: str, args: WorkspaceHardeningArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:WorkspaceHardening", name, None, opts)
        access = pulumi.ResourceOptions(parent=self, depends_on=args.after)
        self.settings = {
            "enforceWorkspaceViewAcls": "true",
            "enforceClusterViewAcls": "true",
            "enableJobViewAcls": "true",
            # Command and query text in the audit logs (vocabulary/workspace.py).
            VERBOSE_AUDIT_LOGS: "true",
            # "Enable or disable personal access tokens for this workspace"
            # (pulumi_databricks.WorkspaceConf): the estate authenticates with Entra ID.
            "enableTokensConfig": "true" if args.tokens_enabled else "false",
            "maxTokenLifetimeDays": str(args.max_token_lifetime_days),
        }
        # "Upon resource deletion, properties that start with `enable` or `enforce` will be
        # reset to `false`" (pulumi_databricks.WorkspaceConf): a removal, a rename or a
        # replacement would switch the view ACLs off, so the settings outlive the resource,
        # and Prod's cannot be deleted at all.
        databricks.WorkspaceConf(
            f"{name}-conf",
            custom_config=self.settings,
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True, protect=args.protect),
        )
        # "It is required to have at least 1 personal access token in the workspace before you
        # can manage tokens permissions" (pulumi_databricks.Permissions; the API answers
        # "tokens tokens does not exist", terraform-provider-databricks#1122).
        self.token_access = (
            [PermissionEntry(p, CAN_USE) for p in args.token_users]
            if args.tokens_enabled and args.manage_token_permissions
            else []
        )
        if self.token_access:
            authoritative_permissions(
                f"{name}-token-usage", self.token_access, access, authorization="tokens"
            )
        self.registry_access: list[PermissionEntry] = []
        if args.registry_read_only_for is not None:
            self.registry_access = [PermissionEntry(args.registry_manager, CAN_MANAGE)] + [
                PermissionEntry(p, CAN_READ) for p in args.registry_read_only_for
            ]
            authoritative_permissions(
                f"{name}-model-registry",
                self.registry_access,
                access,
                registered_model_id=REGISTRY_ROOT,
            )
        self.register_outputs({})
