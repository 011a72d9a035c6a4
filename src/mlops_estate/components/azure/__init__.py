"""Azure resources of an environment: the workspace, and the catalog storage."""

from .catalog_storage import CatalogStorageAccount, CatalogStorageAccountArgs
from .workspace import AzureWorkspace, AzureWorkspaceArgs, VnetInjectionArgs

__all__ = [
    "AzureWorkspace",
    "AzureWorkspaceArgs",
    "CatalogStorageAccount",
    "CatalogStorageAccountArgs",
    "VnetInjectionArgs",
]
