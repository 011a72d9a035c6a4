"""Who may enter the workspace, and with which entitlements: persona groups and the deployer.

Workspace access is assigned on the account (MwsPermissionAssignment), which works only once
the workspace has a metastore: assigning a workspace to a metastore is what enables identity
federation, "allowing admins to ... [assign] users to workspaces"
(https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/enable-workspaces);
before it, the API answers "Permission assignment APIs are not available for this workspace"
(databricks/terraform-provider-databricks#5282). So every assignment waits for `after`.

An assignment is eventually consistent, so whatever names an assigned principal inside the
workspace (entitlements, access lists) waits on `principals_visible`, a delay after the last
assignment (vocabulary/waits.py gives the evidence).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pulumi
import pulumi_databricks as databricks
import pulumiverse_time as time

from ...vocabulary.waits import PRINCIPALS_VISIBLE_SECONDS, go_duration
from ...vocabulary.workspace import USERS_GROUP, WORKSPACE_USER


@dataclass(frozen=True)
class WorkspaceEntitlements:
    """The workspace entitlements of one principal. The estate leaves the workspace's `users`
    group consumer access only, so these and consumer access are all the principal has."""

    workspace_access: bool
    """May use the workspace's UI and APIs."""
    databricks_sql_access: bool
    """May use Databricks SQL."""
    workspace_consume: bool
    """Consumer access only (Databricks One), without workspace_access or SQL access."""
    allow_cluster_create: bool
    """May create clusters with any settings, beyond the policies it may use."""
    allow_instance_pool_create: bool
    """May create instance pools."""

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)

    def as_arguments(self) -> dict[str, bool]:
        """The entitlements granted, as `Entitlements` arguments. A false one is left out: the
        provider refuses `workspace_consume` beside `workspace_access` or
        `databricks_sql_access` even when one of them is false
        (databricks/terraform-provider-databricks#5138), and an absent one is not granted."""
        return {key: True for key, value in self.as_dict().items() if value}

    def with_group(self, group: WorkspaceEntitlements) -> WorkspaceEntitlements:
        """What a member holds: its own entitlements and those of a group it is in."""
        return WorkspaceEntitlements(
            **{key: value or getattr(group, key) for key, value in self.as_dict().items()}
        )


# "To provide the Consumer access experience, the users group must have only the Consumer
# access entitlement, or no entitlements"
# (https://docs.databricks.com/security/auth/entitlements). The estate gives it consumer
# access only: every principal keeps the one access entitlement Databricks requires ("a user
# must have at least one access entitlement"), and the provider never sends an empty
# entitlement list, which the users group refuses (databricks/terraform-provider-databricks#1866).
USERS_GROUP_ENTITLEMENTS = WorkspaceEntitlements(
    workspace_access=False,
    databricks_sql_access=False,
    workspace_consume=True,
    allow_cluster_create=False,
    allow_instance_pool_create=False,
)

# The deployer runs jobs on job clusters through its job-compute policy, on which it holds
# CAN_USE; `allow_cluster_create` would let it create "unrestricted clusters" outside any
# policy (https://learn.microsoft.com/azure/databricks/security/auth/entitlements). It needs
# no SQL access.
DEPLOYER_ENTITLEMENTS = WorkspaceEntitlements(
    workspace_access=True,
    databricks_sql_access=False,
    workspace_consume=False,
    allow_cluster_create=False,
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
    after: list[pulumi.Resource]
    """What the assignments wait for: the workspace's metastore assignment."""


class WorkspaceAccess(pulumi.ComponentResource):
    """Assigns the existing account groups and the deployer to the workspace, as users, and
    sets each one's entitlements; the workspace's `users` group keeps none.

    Assigning a group with ["USER"] "adds principal to the workspace `users` group"
    (pulumi_databricks.MwsPermissionAssignment), and "the users group is granted the Workspace
    access and Databricks SQL access entitlements by default"
    (https://learn.microsoft.com/azure/databricks/security/auth/entitlements): unless `users`
    holds nothing, a persona's `databricks_sql_access: false` would do nothing.

    No persona is a workspace admin. Pass the workspace-level Databricks provider through
    `opts.providers`; assignments go through `args.account_provider`. `principals_visible`
    is what anything naming these principals in the workspace must wait for.
    """

    principals_visible: time.Sleep

    def __init__(
        self, name: str, args: WorkspaceAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:WorkspaceAccess", name, None, opts)
        on_account = pulumi.ResourceOptions(
            parent=self, provider=args.account_provider, depends_on=args.after
        )
        principals: dict[str, pulumi.Input[str]] = {}
        for persona in args.personas:
            group = databricks.get_group_output(
                display_name=persona.group,
                opts=pulumi.InvokeOptions(parent=self, provider=args.account_provider),
            )
            principals[persona.role] = group.id
        principals["deployer"] = args.deployer_service_principal_id
        assignments = [
            databricks.MwsPermissionAssignment(
                f"{name}-{role.replace('_', '-')}",
                workspace_id=args.workspace_id,
                principal_id=principal_id,
                permissions=[WORKSPACE_USER],
                opts=on_account,
            )
            for role, principal_id in principals.items()
        ]
        # A new principal re-runs the delay: its triggers are every assigned principal.
        self.principals_visible = time.Sleep(
            f"{name}-principals-visible",
            create_duration=go_duration(PRINCIPALS_VISIBLE_SECONDS),
            triggers=principals,
            opts=pulumi.ResourceOptions(parent=self, depends_on=assignments),
        )
        after_visible = pulumi.ResourceOptions(parent=self, depends_on=[self.principals_visible])
        users = databricks.get_group_output(
            display_name=USERS_GROUP, opts=pulumi.InvokeOptions(parent=self)
        )
        databricks.Entitlements(
            f"{name}-users-entitlements",
            group_id=users.id,
            **USERS_GROUP_ENTITLEMENTS.as_arguments(),
            opts=after_visible,
        )
        self.assignments: list[dict[str, object]] = []
        for persona in args.personas:
            databricks.Entitlements(
                f"{name}-{persona.role.replace('_', '-')}-entitlements",
                group_id=principals[persona.role],
                **persona.entitlements.as_arguments(),
                opts=after_visible,
            )
            self.assignments.append(
                {
                    "role": persona.role,
                    "group": persona.group,
                    "permissions": [WORKSPACE_USER],
                    # Effective: members hold the users group's entitlements too.
                    "entitlements": persona.entitlements.with_group(
                        USERS_GROUP_ENTITLEMENTS
                    ).as_dict(),
                }
            )
        databricks.Entitlements(
            f"{name}-deployer-entitlements",
            service_principal_id=args.deployer_service_principal_id,
            **DEPLOYER_ENTITLEMENTS.as_arguments(),
            opts=after_visible,
        )
        self.deployer_entitlements = DEPLOYER_ENTITLEMENTS.with_group(
            USERS_GROUP_ENTITLEMENTS
        ).as_dict()
        self.users_group_entitlements = USERS_GROUP_ENTITLEMENTS.as_dict()
        self.register_outputs({})
