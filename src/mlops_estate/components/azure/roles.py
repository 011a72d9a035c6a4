"""Waits for Azure role assignments to take effect before what relies on them."""

from __future__ import annotations

import pulumi
import pulumiverse_time as time
from pulumi_azure_native import authorization

from ...vocabulary.waits import ROLE_PROPAGATION_SECONDS, go_duration


def role_propagated(
    name: str, assignment: authorization.RoleAssignment, parent: pulumi.Resource
) -> time.Sleep:
    """A wait of `ROLE_PROPAGATION_SECONDS` after `assignment`, made again when it changes."""
    return time.Sleep(
        name,
        create_duration=go_duration(ROLE_PROPAGATION_SECONDS),
        triggers={"role_assignment": assignment.id},
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[assignment]),
    )
