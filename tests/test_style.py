"""The code base stays ruff clean and formatted; the README's test command is the whole check."""

from __future__ import annotations

import ast
import subprocess
import sys

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
