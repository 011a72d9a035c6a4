"""A deployed estate for audit tests: both stacks' workspaces on one metastore, served at their
real host names through `AzureNetwork`, and a function that runs `estate audit` on them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mlops_estate.cli import app

from .azure_network import AzureNetwork
from .fake_databricks import FakeMetastore, FakeWorkspace
from .plans import example_plan

TOKEN = "dapi-local-test-token"
# Unified authentication reads these; a test sets only the token.
AUTH_ENVIRONMENT = (
    "DATABRICKS_HOST",
    "DATABRICKS_CLIENT_ID",
    "DATABRICKS_CLIENT_SECRET",
    "DATABRICKS_AUTH_TYPE",
    "DATABRICKS_CONFIG_PROFILE",
    "ARM_CLIENT_ID",
    "ARM_CLIENT_SECRET",
    "ARM_TENANT_ID",
    "ARM_USE_MSI",
    "NO_PROXY",
    "no_proxy",
)


def isolate_network(network: AzureNetwork, monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
    """Route every workspace host to `network`, and give the SDK a token and nothing else."""
    for name in AUTH_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in network.environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp / "no-databrickscfg"))


def outputs_of(stack: str) -> dict[str, Any]:
    """A stack's outputs as `pulumi stack output --json` writes them: plain JSON."""
    return json.loads(json.dumps(example_plan(stack).outputs))


@dataclass
class LiveEstate:
    """Both stacks deployed: one metastore, two workspaces, their outputs on disk."""

    network: AzureNetwork
    folder: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    metastore: FakeMetastore = field(default_factory=FakeMetastore)
    workspaces: dict[str, FakeWorkspace] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def deploy(
        cls, network: AzureNetwork, folder: Path, outputs: dict[str, dict[str, Any]] | None = None
    ) -> LiveEstate:
        outputs = outputs or {stack: outputs_of(stack) for stack in ("uat", "prod")}
        estate = cls(network, folder, outputs, FakeMetastore.matching(*outputs.values()))
        for stack, declared in outputs.items():
            workspace = FakeWorkspace.matching(declared, estate.metastore)
            estate.workspaces[stack] = workspace
            estate.urls[stack] = network.serve(workspace)
            (folder / f"{stack}.json").write_text(json.dumps(declared))
        return estate

    def declared(self, stack: str) -> Path:
        return self.folder / f"{stack}.json"

    def audit(
        self, *stacks: str, hosts: list[str] | None = None, options: tuple[str, ...] = ()
    ) -> tuple[int, dict[str, Any], str]:
        """`estate audit` of the stacks' outputs, each with its own --host unless `hosts`
        says otherwise; the exit code, the JSON report (or {}) and the output."""
        report = self.folder / "audit.json"
        report.unlink(missing_ok=True)
        hosts = [self.urls[s] for s in stacks] if hosts is None else hosts
        args = ["audit"]
        for stack in stacks:
            args += ["--declared", str(self.declared(stack))]
        for host in hosts:
            args += ["--host", host]
        result = CliRunner().invoke(app, [*args, "--json", str(report), *options])
        document = json.loads(report.read_text()) if report.exists() else {}
        return result.exit_code, document, result.output

    def calls(self) -> int:
        return sum(w.calls for w in self.workspaces.values())


def stack_of(document: dict[str, Any], stack: str) -> dict[str, Any]:
    return next(s for s in document["stacks"] if s["stack"] == stack)


def verdict(document: dict[str, Any], stack: str, rule: str) -> str:
    return next(v["verdict"] for v in stack_of(document, stack)["verdicts"] if v["rule"] == rule)


def drift(document: dict[str, Any], stack: str) -> list[tuple[str, str, str]]:
    return [(d["kind"], d["what"], d["detail"]) for d in stack_of(document, stack)["drift"]]


def notes(document: dict[str, Any], stack: str, section: str) -> list[tuple[str, str]]:
    return [(n["what"], n["detail"]) for n in stack_of(document, stack)[section]]


def deployed(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveEstate]:
    """Both stacks freshly deployed, nothing changed by hand; for a fixture to yield from."""
    network = AzureNetwork(tmp)
    isolate_network(network, monkeypatch, tmp)
    yield LiveEstate.deploy(network, tmp)
    network.close()
