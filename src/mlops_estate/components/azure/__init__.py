"""Azure resources of an environment: the workspace, the catalog storage, the keys and the
diagnostic logs."""

from .catalog_storage import CatalogStorageAccount, CatalogStorageAccountArgs
from .diagnostics import DiagnosticLogs, DiagnosticLogsArgs
from .keys import CustomerManagedKeys, CustomerManagedKeysArgs
from .workspace import (
    AzureWorkspace,
    AzureWorkspaceArgs,
    EnhancedSecurityArgs,
    StorageFirewallArgs,
    VnetInjectionArgs,
    WorkspaceEncryptionArgs,
)

__all__ = [
    "AzureWorkspace",
    "AzureWorkspaceArgs",
    "CatalogStorageAccount",
    "CatalogStorageAccountArgs",
    "CustomerManagedKeys",
    "CustomerManagedKeysArgs",
    "DiagnosticLogs",
    "DiagnosticLogsArgs",
    "EnhancedSecurityArgs",
    "StorageFirewallArgs",
    "VnetInjectionArgs",
    "WorkspaceEncryptionArgs",
]
