"""`estate bundle-targets`: where an ML project's Databricks Asset Bundle deploys, per stack."""

from .targets import BundleError, bundle_targets

__all__ = ["BundleError", "bundle_targets"]
