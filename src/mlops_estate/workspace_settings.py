"""Workspace settings that back the isolation: view ACLs, tokens, the workspace model registry."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from .access import PermissionEntry, Principal, access_control_args
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
        databricks.Permissions(f"{name}-token-usage", authorization="tokens",
                               access_controls=[access_control_args(e) for e in self.token_access],
                               opts=child)
        self.registry_access: list[PermissionEntry] = []
        if args.registry_read_only_for is not None:
            self.registry_access = [PermissionEntry(args.registry_manager, CAN_MANAGE)] + [
                PermissionEntry(p, CAN_READ) for p in args.registry_read_only_for]
            databricks.Permissions(
                f"{name}-model-registry", registered_model_id=REGISTRY_ROOT,
                access_controls=[access_control_args(e) for e in self.registry_access], opts=child)
        self.register_outputs({})
