"""Workspace terms: permission levels (databricks-sdk's enums), entitlements, reserved paths."""

from __future__ import annotations

from databricks.sdk.service.iam import PermissionLevel

PERMISSION_LEVELS: frozenset[str] = frozenset(level.value for level in PermissionLevel)

CAN_MANAGE = PermissionLevel.CAN_MANAGE.value
CAN_RUN = PermissionLevel.CAN_RUN.value
CAN_READ = PermissionLevel.CAN_READ.value
CAN_USE = PermissionLevel.CAN_USE.value

# The most a human may hold on a deployment or PR-validation folder (deployment-folder-locked).
HUMAN_FOLDER_LEVELS: frozenset[str] = frozenset({CAN_READ, CAN_RUN})

# Workspace roots where humans can write: no estate folder lies under them. Workspace paths
# are matched without regard to case, as the config and the rules both do.
HUMAN_WRITABLE_ROOTS = ("/Shared", "/Users")

# The object id of the workspace model registry's root: its access list covers every model.
REGISTRY_ROOT = "root"

# The workspace permission a persona or the deployer is assigned with: never ADMIN.
WORKSPACE_USER = "USER"

# Entitlements: the Pulumi property (camelCase), the config / output key, and the SCIM value.
ENTITLEMENTS: dict[str, tuple[str, str]] = {
    "workspaceAccess": ("workspace_access", "workspace-access"),
    "databricksSqlAccess": ("databricks_sql_access", "databricks-sql-access"),
    "allowClusterCreate": ("allow_cluster_create", "allow-cluster-create"),
    "allowInstancePoolCreate": ("allow_instance_pool_create", "allow-instance-pool-create"),
}


def under_human_writable_root(path: str) -> bool:
    """Whether a workspace path lies in (or is) /Shared or /Users, in any letter case."""
    segments = path.split("/")
    return (
        len(segments) > 1
        and segments[0] == ""
        and segments[1].lower() in {root.strip("/").lower() for root in HUMAN_WRITABLE_ROOTS}
    )
