"""Compute policies: job compute for the deployer, personal compute for UAT's data scientists."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.workspace import (
    BUILTIN_PERSONAL_COMPUTE_POLICY,
    CAN_USE,
    PERSONAL_COMPUTE_FAMILY,
)
from ..access import PermissionEntry, Principal, authoritative_permissions

# Job clusters only, in single-user (Unity Catalog) access mode.
DEPLOYER_JOB_POLICY = {
    "cluster_type": {"type": "fixed", "value": "job"},
    "data_security_mode": {"type": "fixed", "value": "SINGLE_USER"},
}


@dataclass(frozen=True)
class ComputePoliciesArgs:
    environment: str
    """uat or prod: it names the policies."""
    deployer: Principal
    """The deployer: it uses the job-compute policy."""
    personal_compute_users: list[Principal]
    """Who may use the estate's personal-compute policy; empty: no such policy."""
    builtin_personal_compute_users: list[Principal] | None
    """Who may use Databricks' built-in Personal Compute policy, whose access list decides
    only while the account's Personal Compute setting is DELEGATE; None: the setting is ON
    and the list decides nothing, so the estate leaves it alone."""
    after: list[pulumi.Resource]
    """What the access lists wait for: the named principals being visible in the workspace."""


class ComputePolicies(pulumi.ComponentResource):
    """Pass the workspace-level Databricks provider through `opts.providers`."""

    def __init__(
        self, name: str, args: ComputePoliciesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:ComputePolicies", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        access = pulumi.ResourceOptions(parent=self, depends_on=args.after)
        jobs = databricks.ClusterPolicy(
            f"{name}-deployer-jobs",
            name=f"mlops-{args.environment}-deployer-jobs",
            description="Job compute for CI/CD deployments",
            definition=json.dumps(DEPLOYER_JOB_POLICY, sort_keys=True),
            opts=child,
        )
        self.policies = {"deployer_jobs": [PermissionEntry(args.deployer, CAN_USE)]}
        authoritative_permissions(
            f"{name}-deployer-jobs-permissions",
            self.policies["deployer_jobs"],
            access,
            cluster_policy_id=jobs.id,
        )
        if args.personal_compute_users:
            personal = databricks.ClusterPolicy(
                f"{name}-personal-compute",
                name=f"mlops-{args.environment}-personal-compute",
                policy_family_id=PERSONAL_COMPUTE_FAMILY,
                description="Single-node personal compute for development",
                opts=child,
            )
            self.policies["personal_compute"] = [
                PermissionEntry(p, CAN_USE) for p in args.personal_compute_users
            ]
            authoritative_permissions(
                f"{name}-personal-compute-permissions",
                self.policies["personal_compute"],
                access,
                cluster_policy_id=personal.id,
            )
        if args.builtin_personal_compute_users is not None:
            # The built-in policy is named "Personal Compute" in every workspace
            # (pulumi_databricks.get_cluster_policy, "Referring to a cluster policy by name").
            # DELEGATE "moves access control for the Personal Compute default policy to
            # individual workspaces and requires a workspace's users or groups to be added to
            # the ACLs" (databricks-sdk settings.PersonalComputeMessageEnum). The access list
            # is authoritative: in Prod it names only the platform runner, an admin already.
            builtin = databricks.get_cluster_policy_output(
                name=BUILTIN_PERSONAL_COMPUTE_POLICY, opts=pulumi.InvokeOptions(parent=self)
            )
            self.policies["builtin_personal_compute"] = [
                PermissionEntry(p, CAN_USE) for p in args.builtin_personal_compute_users
            ]
            authoritative_permissions(
                f"{name}-builtin-personal-compute-permissions",
                self.policies["builtin_personal_compute"],
                access,
                cluster_policy_id=builtin.id,
            )
        self.register_outputs({})
