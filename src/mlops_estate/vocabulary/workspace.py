"""Workspace terms: permission levels (databricks-sdk's enums), entitlements, reserved paths."""

from __future__ import annotations

import posixpath
import re

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
WORKSPACE_ADMIN = "ADMIN"
# The workspace group whose members administer the workspace.
ADMINS_GROUP = "admins"
# The workspace group every workspace user and service principal belongs to.
USERS_GROUP = "users"

# The most a human may hold on any workspace object the estate declares: read, run, use;
# never edit or manage (rule object-permissions-read-run-only).
HUMAN_OBJECT_LEVELS: frozenset[str] = frozenset(
    {
        CAN_READ,
        CAN_RUN,
        CAN_USE,
        PermissionLevel.CAN_VIEW.value,
        PermissionLevel.CAN_ATTACH_TO.value,
        PermissionLevel.CAN_QUERY.value,
        PermissionLevel.CAN_VIEW_METADATA.value,
    }
)

# The properties of `databricks.Permissions` that name an object of the workspace tree.
WORKSPACE_TREE_KEYS = (
    "directoryPath",
    "directoryId",
    "notebookPath",
    "notebookId",
    "workspaceFilePath",
    "workspaceFileId",
)

# Every property of `databricks.Permissions` that names the object its access list is on.
PERMISSION_OBJECT_KEYS = (
    *WORKSPACE_TREE_KEYS,
    "repoPath",
    "repoId",
    "jobId",
    "pipelineId",
    "clusterId",
    "clusterPolicyId",
    "instancePoolId",
    "experimentId",
    "registeredModelId",
    "servingEndpointId",
    "sqlEndpointId",
    "sqlDashboardId",
    "sqlQueryId",
    "sqlAlertId",
    "alertV2Id",
    "dashboardId",
    "appName",
    "authorization",
    "vectorSearchEndpointId",
    "databaseInstanceName",
    "databaseProjectName",
    "knowledgeAssistantId",
    "supervisorAgentId",
)

# Databricks' built-in Personal Compute policy, by its name in every workspace.
BUILTIN_PERSONAL_COMPUTE_POLICY = "Personal Compute"
# Databricks' policy family of Personal Compute: single-node, single-user clusters.
PERSONAL_COMPUTE_FAMILY = "personal-vm"

# The workspace settings that back the isolation: each at least this strong
# (rule workspace-conf-hardened). Token settings depend on the config.
VIEW_ACL_SETTINGS = ("enforceWorkspaceViewAcls", "enforceClusterViewAcls", "enableJobViewAcls")
# Every workspace setting a WorkspaceConf may hold: the ones the estate's own sets
# (components/workspace/hardening.py) and the rule reviews. Any other key could weaken the
# workspace unseen (enableIpAccessLists "false", enableDeprecatedGlobalInitScripts "true").
# "Verbose audit logs are additional audit logs recorded whenever a query or command is run
# in your workspace. These logs record the text of each command or query. By default, these
# logs are not enabled" (https://learn.microsoft.com/azure/databricks/admin/account-settings/
# verbose-logs); the workspace setting is enableVerboseAuditLogs.
VERBOSE_AUDIT_LOGS = "enableVerboseAuditLogs"
REVIEWED_WORKSPACE_SETTINGS = (
    *VIEW_ACL_SETTINGS,
    VERBOSE_AUDIT_LOGS,
    "enableTokensConfig",
    "maxTokenLifetimeDays",
)
# The estate's component that declares the stack's one WorkspaceConf (rule one-workspace-conf).
WORKSPACE_HARDENING = "mlops-estate:workspace:WorkspaceHardening"

# Entitlements: the Pulumi property (camelCase), the config / output key, and the SCIM value.
ENTITLEMENTS: dict[str, tuple[str, str]] = {
    "workspaceAccess": ("workspace_access", "workspace-access"),
    "databricksSqlAccess": ("databricks_sql_access", "databricks-sql-access"),
    "workspaceConsume": ("workspace_consume", "workspace-consume"),
    "allowClusterCreate": ("allow_cluster_create", "allow-cluster-create"),
    "allowInstancePoolCreate": ("allow_instance_pool_create", "allow-instance-pool-create"),
}


def normalized_workspace_path(path: str) -> str:
    """A workspace path with repeated slashes, `.` and `..` segments resolved: `//Shared/x`,
    `/Shared/./x` and `/Deployments/../Shared/x` all name `/Shared/x`. (posixpath.normpath
    alone keeps two leading slashes, which POSIX leaves to the implementation.)"""
    return posixpath.normpath(re.sub(r"/{2,}", "/", path)) if path else path


def under_human_writable_root(path: str) -> bool:
    """Whether a workspace path lies in (or is) /Shared or /Users, in any letter case, also
    written as /Workspace/Shared or /Workspace/Users (the workspace's file-system path), once
    normalized (`//Shared`, `/Deployments/../Shared`)."""
    segments = normalized_workspace_path(str(path)).split("/")
    if len(segments) > 2 and segments[0] == "" and segments[1].lower() == "workspace":
        segments = ["", *segments[2:]]
    return (
        len(segments) > 1
        and segments[0] == ""
        and segments[1].lower() in {root.strip("/").lower() for root in HUMAN_WRITABLE_ROOTS}
    )
