"""Locked workspace folders: CI/CD writes, humans read and run."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.workspace import CAN_MANAGE
from ..access import PermissionEntry, Principal, authoritative_permissions


@dataclass(frozen=True)
class LockedFolderArgs:
    path: str
    """The folder's absolute workspace path, outside /Shared and /Users."""
    purpose: str
    """What CI/CD uses it for: deployment or pr_validation."""
    manager: Principal
    """The service principal that alone may write: CAN_MANAGE."""
    humans: list[PermissionEntry]
    """What humans hold: CAN_READ or CAN_RUN."""
    after: list[pulumi.Resource]
    """What the access list waits for: the named principals being visible in the workspace."""


class LockedFolder(pulumi.ComponentResource):
    """A workspace directory whose access list is authoritative: the manager alone may write.

    Pass the workspace-level Databricks provider through `opts.providers`.
    """

    def __init__(
        self, name: str, args: LockedFolderArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:workspace:LockedFolder", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        directory = databricks.Directory(f"{name}-directory", path=args.path, opts=child)
        self.access = [PermissionEntry(args.manager, CAN_MANAGE), *args.humans]
        authoritative_permissions(
            f"{name}-permissions",
            self.access,
            pulumi.ResourceOptions(parent=self, depends_on=args.after),
            directory_path=directory.path,
        )
        self.path = args.path
        self.purpose = args.purpose
        self.register_outputs({"path": directory.path})
