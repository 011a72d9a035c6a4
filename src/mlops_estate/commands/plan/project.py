"""Reading a Pulumi project from disk: `Pulumi.yaml` and `Pulumi.<stack>.yaml`, as the CLI would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...config import CONFIG_ROOT
from .strict_yaml import StrictYamlError, load_strict

SECRET_PLACEHOLDER = "[secret]"


class PlanInputError(Exception):
    """A project or stack file that cannot be planned; the message names the file."""


@dataclass(frozen=True)
class PulumiProject:
    name: str
    root: Path
    program: Path


@dataclass(frozen=True)
class StackConfig:
    """Config as the Pulumi CLI hands it to a program: `namespace:key` -> string."""

    values: dict[str, str]
    secret_keys: list[str] = field(default_factory=list)

    @property
    def estate(self) -> Any:
        """The `mlops-estate:estate` object, as the program reads it; None if absent."""
        value = self.values.get(CONFIG_ROOT)
        return None if value is None else json.loads(value)


def _read_yaml(path: Path) -> Any:
    """A project or stack file, refused where the Pulumi CLI would refuse it."""
    try:
        return load_strict(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanInputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise PlanInputError(f"{path}: not UTF-8 text") from None
    except StrictYamlError as error:
        raise PlanInputError(f"{path}: {error}") from None
    except yaml.YAMLError as error:
        raise PlanInputError(f"{path}: not valid YAML: {error}") from None


def load_project(root: Path) -> PulumiProject:
    """Read `Pulumi.yaml` in `root`; only Python programs can be planned in process."""
    path = root / "Pulumi.yaml"
    document = _read_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise PlanInputError(f"{path}: must be a mapping with a 'name'")
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise PlanInputError(
            f"{path}: runtime is {runtime_name!r}; estate plan runs only 'python' programs"
        )
    main = root / str(document.get("main", "."))
    program = main / "__main__.py" if main.is_dir() else main
    if not program.is_file():
        raise PlanInputError(f"{path}: main points to {program}, which does not exist")
    return PulumiProject(name=document["name"], root=root, program=program)


def _as_config_string(value: Any, key: str, secret_keys: list[str]) -> str:
    """Pulumi passes structured values to programs as JSON; secure values cannot be read offline."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        secret_keys.append(key)
        return SECRET_PLACEHOLDER
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(_without_secure_leaves(value, key, secret_keys), sort_keys=True)


def _without_secure_leaves(value: Any, key: str, secret_keys: list[str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            if key not in secret_keys:
                secret_keys.append(key)
            return SECRET_PLACEHOLDER
        return {k: _without_secure_leaves(v, key, secret_keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_secure_leaves(v, key, secret_keys) for v in value]
    return value


def _qualified(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _stack_document(path: Path) -> dict[str, Any]:
    document = _read_yaml(path) or {}
    if not isinstance(document, dict) or not isinstance(document.get("config") or {}, dict):
        raise PlanInputError(f"{path}: 'config' must be a mapping of keys to values")
    return document


def read_estate_config(path: Path) -> Any:
    """The `mlops-estate:estate` object of a stack file, read as data (no program runs)."""
    if not path.is_file():
        raise PlanInputError(f"{path}: file not found")
    return (_stack_document(path).get("config") or {}).get(CONFIG_ROOT)


def load_stack_config(project: PulumiProject, stack: str) -> StackConfig:
    """Merge the project's config defaults with `Pulumi.<stack>.yaml`, the way the CLI does."""
    path = project.root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        available = sorted(
            p.name[len("Pulumi.") : -len(".yaml")] for p in project.root.glob("Pulumi.*.yaml")
        )
        raise PlanInputError(
            f"{path}: no such stack file; stacks here: {', '.join(available) or 'none'}"
        )
    document = _stack_document(path)
    project_document = _read_yaml(project.root / "Pulumi.yaml")
    defaults = {}
    for key, spec in (project_document.get("config") or {}).items():
        value = spec.get("value", spec.get("default")) if isinstance(spec, dict) else spec
        if value is not None:
            defaults[_qualified(key, project.name)] = value
    merged = {
        **defaults,
        **{_qualified(k, project.name): v for k, v in (document.get("config") or {}).items()},
    }
    secret_keys: list[str] = []
    values = {
        key: _as_config_string(value, key, secret_keys) for key, value in sorted(merged.items())
    }
    return StackConfig(values=values, secret_keys=sorted(secret_keys))
