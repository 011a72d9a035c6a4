"""What the rules trust: the stack's environment and its declared principals.

They come from the stack's name and its validated config, never from a tag or a value that
the judged program sets: a program can register any resource, but not change its stack's
name or config.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import EstateConfig, parse_estate_config


@dataclass(frozen=True)
class Trust:
    stack: str
    """The stack's name; its config's environment agrees with it."""
    environment: str
    """uat or prod."""
    governed_catalog: str
    """The environment's governed catalog."""
    platform_admins: str
    """The platform admins group: a platform principal."""
    data_scientists: str
    """The data scientists' group: it writes and grants in the feature-development schema."""
    development_catalog: str | None
    """UAT: the development catalog, the one catalog that is not governed."""
    feature_development_schema: str | None
    """UAT: the development catalog's schema where data scientists hold MANAGE."""

    @classmethod
    def from_config(cls, stack: str, config: EstateConfig) -> Trust:
        catalogs = config.catalogs
        return cls(
            stack=stack,
            environment=config.environment,
            governed_catalog=catalogs.governed,
            platform_admins=config.personas.platform_admins,
            data_scientists=config.personas.data_scientists,
            development_catalog=catalogs.development,
            feature_development_schema=(
                f"{catalogs.development}.{catalogs.feature_development_schema}"
                if catalogs.development
                else None
            ),
        )

    @classmethod
    def from_raw_config(cls, stack: str, raw: object) -> Trust:
        """Validate the stack's raw `mlops-estate:estate` value; ConfigError names a bad key."""
        return cls.from_config(stack, parse_estate_config(raw, stack=stack))

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    def is_development_schema(self, full_name: str) -> bool:
        return full_name == self.feature_development_schema

    def is_governed(self, securable: str) -> bool:
        """Every catalog, and anything in one, except the development catalog."""
        return securable.split(".")[0] != self.development_catalog
