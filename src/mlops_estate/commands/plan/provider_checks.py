"""What a provider refuses in a resource's inputs before anything is created.

The mock monitor accepts any inputs; a real `pulumi preview` or `pulumi up` runs the
provider's `Check` first. The plan fails, as the provider would, on the constraints below.
"""

from __future__ import annotations

from typing import Any

from ...vocabulary.resource_types import ENTITLEMENTS

# Keys that may not be set together, even to false: the Terraform plugin SDK's ConflictsWith
# asks only whether a key is present (hashicorp/terraform-plugin-sdk#85).
# terraform-provider-databricks scim/scim.go: workspace_consume ConflictsWith workspace_access
# and databricks_sql_access; databricks/terraform-provider-databricks#5138 shows
# `workspace_access = true, workspace_consume = false` refused ("Conflicting configuration
# arguments"), the maintainers' fix being to leave workspace_consume out.
CONFLICTS: dict[str, dict[str, tuple[str, ...]]] = {
    ENTITLEMENTS: {"workspaceConsume": ("workspaceAccess", "databricksSqlAccess")},
}


def provider_check_failures(type_: str, inputs: dict[str, Any]) -> list[str]:
    """Why the provider would refuse these inputs; empty if it would not."""
    return [
        f'"{key}": conflicts with {other}'
        for key, others in CONFLICTS.get(type_, {}).items()
        if inputs.get(key) is not None
        for other in others
        if inputs.get(other) is not None
    ]
