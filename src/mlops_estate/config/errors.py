"""Config errors that name the key: one error listing every bad key path, and what is allowed."""

from __future__ import annotations

import pulumi
from pydantic_core import PydanticCustomError

CONFIG_NAMESPACE = "mlops-estate"
CONFIG_KEY = "estate"
CONFIG_ROOT = f"{CONFIG_NAMESPACE}:{CONFIG_KEY}"

Problem = tuple[str, str]  # (key path, what is wrong and what is allowed)


class ConfigError(pulumi.RunError):
    """Invalid stack config. Pulumi prints a RunError without a traceback."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [f"{path}: {message}" for path, message in problems]
        super().__init__("invalid stack config\n  " + "\n  ".join(lines))


def key_path(*parts: str | int) -> str:
    """`mlops-estate:estate.projects[1].name` from ("projects", 1, "name")."""
    path = CONFIG_ROOT
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def rejected(value: object, allowed: str) -> PydanticCustomError:
    """A validation error that quotes the value and says what is allowed instead."""
    return PydanticCustomError("estate_value", f"{value!r} is not allowed: {allowed}")
