"""The estate of one stack: its providers, its environment component and its outputs."""

from __future__ import annotations

from ..config import EstateConfig
from .environment import Environment, EnvironmentArgs
from .outputs import export_outputs
from .providers import stack_providers

__all__ = ["Environment", "EnvironmentArgs", "build_estate", "export_outputs"]


def build_estate(config: EstateConfig) -> Environment:
    """Register the environment `config` describes: one Environment component, which holds
    every resource of the stack but its providers."""
    return Environment(
        config.environment, EnvironmentArgs(config=config, providers=stack_providers(config))
    )
