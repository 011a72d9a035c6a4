"""Workspace isolation: who enters, locked folders, hardened settings, compute policies."""

from .access import PersonaAssignment, WorkspaceAccess, WorkspaceAccessArgs
from .compute import ComputePolicies, ComputePoliciesArgs
from .folders import LockedFolder, LockedFolderArgs
from .hardening import WorkspaceHardening, WorkspaceHardeningArgs

__all__ = [
    "ComputePolicies",
    "ComputePoliciesArgs",
    "LockedFolder",
    "LockedFolderArgs",
    "PersonaAssignment",
    "WorkspaceAccess",
    "WorkspaceAccessArgs",
    "WorkspaceHardening",
    "WorkspaceHardeningArgs",
]
