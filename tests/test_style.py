"""The code base stays ruff clean and formatted; the README's test command is the whole check."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys

import pulumi
import pytest
from support.plans import REPO

TESTS = REPO / "tests"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_test_module_imports_another() -> None:
    """Shared helpers live in tests/support or conftest.py's fixtures, not in test modules."""
    test_modules = {path.stem for path in TESTS.glob("test_*.py")} | {"conftest"}
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [
                f"{path.relative_to(REPO)} imports {name}"
                for name in names
                if name.split(".")[0] in test_modules
            ]
    assert offenders == []


def _layout_table() -> dict[str, str]:
    """The README's layout table: each path, and what its row says."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)`(?:, `[^`]+`)* \| (.+) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def test_readme_layout_shows_every_package_component_and_rule_module() -> None:
    """Each package of the source has its row; each component class, rules module and command
    package is named in the row of its folder."""
    layout = _layout_table()
    source = REPO / "src"
    packages = sorted(
        f"{init.parent.relative_to(REPO)}/"
        for init in (source / "mlops_estate").rglob("__init__.py")
        if init.parent != source / "mlops_estate"
        and init.parent.parent != source / "mlops_estate" / "commands"
    )
    missing = [package for package in packages if package not in layout]
    for info in pkgutil.walk_packages([str(source / "mlops_estate")], "mlops_estate."):
        module = importlib.import_module(info.name)
        path = "src/" + info.name.replace(".", "/")
        row = layout.get(f"{path}.py", layout.get(f"{path.rsplit('/', 1)[0]}/", ""))
        for name, value in vars(module).items():
            is_component = (
                inspect.isclass(value)
                and issubclass(value, pulumi.ComponentResource)
                and value.__module__ == info.name
                and not name.endswith("Component")
            )
            if is_component and f"`{name}`" not in row:
                missing.append(f"{name} of {path}")
        named_in = {"mlops_estate.rules": info.ispkg is False, "mlops_estate.commands": info.ispkg}
        parent, _, leaf = info.name.rpartition(".")
        if named_in.get(parent) and f"`{leaf}`" not in layout[f"src/{parent.replace('.', '/')}/"]:
            missing.append(f"{info.name} in the row of its folder")
    assert missing == [], missing
