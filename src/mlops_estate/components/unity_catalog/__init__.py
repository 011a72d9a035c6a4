"""Unity Catalog: isolated storage, governed and development catalogs, model promotion."""

from .catalogs import (
    DevelopmentCatalog,
    DevelopmentCatalogArgs,
    GovernedCatalog,
    GovernedCatalogArgs,
)
from .promotion import ModelPromotion, ModelPromotionArgs, PromotionReaders, PromotionReadersArgs
from .storage import CatalogStorage, CatalogStorageArgs

__all__ = [
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
