"""Unity Catalog: isolated storage, governed and development catalogs, model promotion."""

from .catalogs import (
    DevelopmentCatalog,
    DevelopmentCatalogArgs,
    GovernedCatalog,
    GovernedCatalogArgs,
)
from .evidence import AuditEvidence, AuditEvidenceArgs
from .promotion import ModelPromotion, ModelPromotionArgs, PromotionReaders, PromotionReadersArgs
from .storage import CatalogStorage, CatalogStorageArgs

__all__ = [
    "AuditEvidence",
    "AuditEvidenceArgs",
    "CatalogStorage",
    "CatalogStorageArgs",
    "DevelopmentCatalog",
    "DevelopmentCatalogArgs",
    "GovernedCatalog",
    "GovernedCatalogArgs",
    "ModelPromotion",
    "ModelPromotionArgs",
    "PromotionReaders",
    "PromotionReadersArgs",
]
