"""Workspace settings that back the isolation: view ACLs, tokens, the workspace model registry."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from .access import PermissionEntry, Principal, authoritative_permissions
from .workspace_terms import CAN_MANAGE, CAN_READ, CAN_USE

# The root of the workspace model registry: its access list applies to every model.
REGISTRY_ROOT = "root"


@dataclass(frozen=True)
class WorkspaceHardeningArgs:
    max_token_lifetime_days: int
    token_users: list[Principal]
    registry_read_only_for: list[Principal] | None
    registry_manager: Principal


class WorkspaceHardening(pulumi.ComponentResource):
    """View ACLs enforced; tokens short-lived and for service principals only.

    With `registry_read_only_for` set (Prod), those humans get CAN_READ on every workspace
    model and only the manager more. Pass the workspace provider through `opts.providers`.
    """

    def __init__(self, name: str, args: WorkspaceHardeningArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("mlops-estate:workspace:WorkspaceHardening", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = {
            "enforceWorkspaceViewAcls": "true",
            "enforceClusterViewAcls": "true",
            "enableJobViewAcls": "true",
            "enableTokensConfig": "true",
            "maxTokenLifetimeDays": str(args.max_token_lifetime_days),
        }
        databricks.WorkspaceConf(f"{name}-conf", custom_config=self.settings, opts=child)
        self.token_access = [PermissionEntry(p, CAN_USE) for p in args.token_users]
        authoritative_permissions(f"{name}-token-usage", self.token_access, child,
                                  authorization="tokens")
        self.registry_access: list[PermissionEntry] = []
        if args.registry_read_only_for is not None:
            self.registry_access = [PermissionEntry(args.registry_manager, CAN_MANAGE)] + [
                PermissionEntry(p, CAN_READ) for p in args.registry_read_only_for]
            authoritative_permissions(f"{name}-model-registry", self.registry_access, child,
                                      registered_model_id=REGISTRY_ROOT)
        self.register_outputs({})
