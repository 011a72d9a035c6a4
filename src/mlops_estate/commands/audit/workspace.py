"""The workspace reads: locked folders, token permissions, the model registry, the built-in
Personal Compute policy and setting, and the workspace settings."""

from __future__ import annotations

from dataclasses import dataclass

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import ResourceDoesNotExist

from ...vocabulary.workspace import (
    BUILTIN_PERSONAL_COMPUTE_POLICY,
    PERSONAL_COMPUTE_FAMILY,
    REGISTRY_ROOT,
)
from .acl import LiveAcl, acl_entries
from .declared import DeclaredEstate
from .live import Read

# The workspace setting that holds the account's Personal Compute value as it applies here
# (`effective_personal_compute`, databricks-sdk settingsv2.Setting; terraform-provider-
# databricks exporter/impl_settings_test.go reads it at this name).
PERSONAL_COMPUTE_SETTING = "features.personalCompute.enabled"
WORKSPACE_ADMIN = "a workspace admin"


@dataclass(frozen=True)
class Folder:
    object_type: str
    acl: LiveAcl


def _folder(client: WorkspaceClient, path: str) -> Folder:
    status = client.workspace.get_status(path)
    kind = getattr(status.object_type, "value", "") or ""
    return Folder(kind, acl_entries(client.permissions.get("directories", str(status.object_id))))


def _tokens(client: WorkspaceClient) -> LiveAcl | None:
    """The token permissions, or None where tokens do not exist: with personal access tokens
    off, or before the first one, the API answers RESOURCE_DOES_NOT_EXIST, "tokens tokens does
    not exist" (terraform-provider-databricks#1122; pulumi_databricks.Permissions: "It is
    required to have at least 1 personal access token in the workspace before you can manage
    tokens permissions")."""
    try:
        return acl_entries(client.permissions.get("authorization", "tokens"))
    except ResourceDoesNotExist:
        return None


def _personal_compute(client: WorkspaceClient) -> LiveAcl | None:
    """Who may use Databricks' built-in Personal Compute policy (None: there is none). It is
    named "Personal Compute", of the `personal-vm` family (terraform-provider-databricks
    docs/resources/cluster_policy.md); the estate's own policy of that family has its own
    name."""
    policy = next(
        (
            p
            for p in client.cluster_policies.list()
            if p.name == BUILTIN_PERSONAL_COMPUTE_POLICY
            and p.policy_family_id == PERSONAL_COMPUTE_FAMILY
        ),
        None,
    )
    if policy is None or not policy.policy_id:
        return None
    return acl_entries(client.permissions.get("cluster-policies", policy.policy_id))


def _personal_compute_setting(client: WorkspaceClient) -> str:
    setting = client.workspace_settings_v2.get_public_workspace_setting(PERSONAL_COMPUTE_SETTING)
    value = setting.effective_personal_compute
    return getattr(value.value, "value", "") if value and value.value else ""


def workspace_reads(client: WorkspaceClient, declared: DeclaredEstate) -> list[Read]:
    reads = [
        Read(
            ("folder", path),
            f"access list of folder {path}",
            lambda p=path: _folder(client, p),
            rights="CAN_MANAGE on the folder (a workspace admin has it)",
        )
        for path in sorted(declared.folders)
    ]
    reads.append(
        Read(("tokens",), "token permissions", lambda: _tokens(client), rights=WORKSPACE_ADMIN)
    )
    if declared.registry is not None:
        reads.append(
            Read(
                ("registry",),
                "workspace model registry permissions",
                lambda: acl_entries(client.permissions.get("registered-models", REGISTRY_ROOT)),
                rights=WORKSPACE_ADMIN,
            )
        )
    if declared.personal_compute_users is not None or declared.environment == "prod":
        reads.append(
            Read(
                ("personal compute",),
                "who may use the Personal Compute policy",
                lambda: _personal_compute(client),
                rights=WORKSPACE_ADMIN,
            )
        )
    reads += [
        Read(
            ("personal compute setting",),
            "the Personal Compute setting",
            lambda: _personal_compute_setting(client),
            rights=WORKSPACE_ADMIN,
        ),
        Read(
            ("conf",),
            "workspace settings",
            lambda: client.workspace_conf.get_status(keys=",".join(sorted(declared.conf))),
            rights=WORKSPACE_ADMIN,
        ),
    ]
    return reads
