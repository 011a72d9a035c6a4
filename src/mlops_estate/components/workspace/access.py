"""Who may enter the workspace, and with which entitlements: persona groups and the deployer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.workspace import WORKSPACE_USER


@dataclass(frozen=True)
class WorkspaceEntitlements:
    """The workspace entitlements of one principal."""

    workspace_access: bool
    """May use the workspace's UI and APIs."""
    databricks_sql_access: bool
    """May use Databricks SQL."""
    allow_cluster_create: bool
    """May create clusters with any settings, beyond the policies it may use."""
    allow_instance_pool_create: bool
    """May create instance pools."""

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


# The deployer runs jobs on job clusters it creates; it needs no SQL access.
DEPLOYER_ENTITLEMENTS = WorkspaceEntitlements(
    workspace_access=True,
    databricks_sql_access=False,
    allow_cluster_create=True,
    allow_instance_pool_create=False,
)


@dataclass(frozen=True)
class PersonaAssignment:
    role: str
    """The persona, e.g. data_scientists."""
    group: str
    """The existing account-level group of that persona."""
    entitlements: WorkspaceEntitlements
    """What the group may do in the workspace."""


@dataclass(frozen=True)
class WorkspaceAccessArgs:
    workspace_id: pulumi.Input[str]
    """The workspace the principals are assigned to."""
    personas: list[PersonaAssignment]
    """The persona groups, each assigned as workspace users."""
    deployer_service_principal_id: pulumi.Input[str]
    """The deployer's service principal, assigned as a workspace user."""
    account_provider: databricks.Provider
    """The account-level Databricks provider, for the assignments and group lookups."""


class WorkspaceAccess(pulumi.ComponentResource):
    """Assigns the existing account groups and the deployer to the workspace, as users.

    No persona is a workspace admin. Pass the workspace-level Databricks provider through
    `opts.providers`; assignments go through `args.account_provider`.
    """

    def __init__(
        self, name: str, args: WorkspaceAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:WorkspaceAccess", name, None, opts)
        on_account = pulumi.ResourceOptions(parent=self, provider=args.account_provider)
        on_workspace = pulumi.ResourceOptions(parent=self)
        self.assignments: list[dict[str, object]] = []
        for persona in args.personas:
            group = databricks.get_group_output(
                display_name=persona.group,
                opts=pulumi.InvokeOptions(parent=self, provider=args.account_provider),
            )
            slug = persona.role.replace("_", "-")
            self._assign(f"{name}-{slug}", args.workspace_id, group.id, on_account)
            databricks.Entitlements(
                f"{name}-{slug}-entitlements",
                group_id=group.id,
                **persona.entitlements.as_dict(),
                opts=on_workspace,
            )
            self.assignments.append(
                {
                    "role": persona.role,
                    "group": persona.group,
                    "permissions": [WORKSPACE_USER],
                    "entitlements": persona.entitlements.as_dict(),
                }
            )
        self._assign(
            f"{name}-deployer", args.workspace_id, args.deployer_service_principal_id, on_account
        )
        databricks.Entitlements(
            f"{name}-deployer-entitlements",
            service_principal_id=args.deployer_service_principal_id,
            **DEPLOYER_ENTITLEMENTS.as_dict(),
            opts=on_workspace,
        )
        self.deployer_entitlements = DEPLOYER_ENTITLEMENTS.as_dict()
        self.register_outputs({})

    @staticmethod
    def _assign(
        resource_name: str,
        workspace_id: pulumi.Input[str],
        principal_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
    ) -> None:
        databricks.MwsPermissionAssignment(
            resource_name,
            workspace_id=workspace_id,
            principal_id=principal_id,
            permissions=[WORKSPACE_USER],
            opts=opts,
        )
