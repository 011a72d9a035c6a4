"""The stack config: validated once, at the boundary, before any resource is registered."""

from __future__ import annotations

from typing import Any

import pulumi
from pydantic import BaseModel, ValidationError

from .checks import cross_key_problems
from .errors import CONFIG_KEY, CONFIG_NAMESPACE, CONFIG_ROOT, ConfigError, key_path
from .schema import EstateConfig

__all__ = [
    "CONFIG_ROOT",
    "ConfigError",
    "EstateConfig",
    "load_estate_config",
    "parse_estate_config",
]


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model that holds the unknown key at `loc`."""
    model: Any = EstateConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return sorted(model.model_fields)


def _describe(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown key; allowed keys here: {', '.join(_allowed_keys(error['loc']))}"
    if error["type"] == "missing":
        return "required key is missing"
    return error["msg"]


def _stack_problems(config: EstateConfig, stack: str) -> list[tuple[str, str]]:
    """The stack's name says its environment: `uat`, `prod`, or either followed by `-...`."""
    environment = config.environment
    if stack == environment or stack.startswith(f"{environment}-"):
        return []
    return [
        (
            key_path("environment"),
            f"{environment!r} does not match the stack {stack!r}: a {environment} stack is named "
            f"{environment} or {environment}-<suffix>",
        )
    ]


def parse_estate_config(raw: Any, stack: str | None = None) -> EstateConfig:
    """Validate the raw `mlops-estate:estate` value; raise one ConfigError naming every bad key.

    With `stack`, the config's environment must be the one the stack's name says.
    """
    if raw is None:
        raise ConfigError(
            [
                (
                    CONFIG_ROOT,
                    "required key is missing; set it in Pulumi.<stack>.yaml "
                    "(see the committed Pulumi.uat.yaml)",
                )
            ]
        )
    if not isinstance(raw, dict):
        raise ConfigError([(CONFIG_ROOT, "must be an object of estate settings")])
    try:
        config = EstateConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError([(key_path(*e["loc"]), _describe(e)) for e in error.errors()]) from None
    problems = cross_key_problems(config)
    if stack is not None:
        problems += _stack_problems(config, stack)
    if problems:
        raise ConfigError(problems)
    return config


def load_estate_config() -> EstateConfig:
    """Read and validate the estate config of the running stack."""
    return parse_estate_config(
        pulumi.Config(CONFIG_NAMESPACE).get_object(CONFIG_KEY), stack=pulumi.get_stack()
    )
