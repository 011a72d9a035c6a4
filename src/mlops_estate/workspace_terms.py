"""Workspace permission levels the estate uses, taken from databricks-sdk's enums."""

from __future__ import annotations

from databricks.sdk.service.iam import PermissionLevel

PERMISSION_LEVELS: frozenset[str] = frozenset(level.value for level in PermissionLevel)

CAN_MANAGE = PermissionLevel.CAN_MANAGE.value
CAN_RUN = PermissionLevel.CAN_RUN.value
CAN_READ = PermissionLevel.CAN_READ.value
CAN_USE = PermissionLevel.CAN_USE.value

# The most a human may hold on a deployment or PR-validation folder (deployment-folder-locked).
HUMAN_FOLDER_LEVELS: frozenset[str] = frozenset({CAN_READ, CAN_RUN})
