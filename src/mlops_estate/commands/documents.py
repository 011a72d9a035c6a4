"""The estate as auditors and reviewers receive it: a plan, a stack export or stack outputs.

- `estate plan --json`: resources (inputs), outputs and the policy verdict;
- `pulumi stack export`: the deployed resources (inputs and outputs); the rules run on them;
- `pulumi stack output --json`: the outputs only; the rules cannot be checked from them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..rules import Resource, Violation, evaluate
from ..vocabulary.resource_types import STACK


class DocumentError(Exception):
    """A file that is not an estate plan, stack export or stack outputs; names the file."""


@dataclass(frozen=True)
class EstateDocument:
    source: Literal["plan", "stack export", "stack outputs"]
    stack: str
    outputs: dict[str, Any]
    resources: list[Resource]
    violations: list[Violation] | None  # None: this input cannot be checked

    @property
    def environment(self) -> str:
        return str(self.outputs.get("environment", "unknown"))


def _stack_of(urn: str) -> str:
    return urn.split("::")[0].removeprefix("urn:pulumi:")


def from_plan_document(document: dict[str, Any]) -> EstateDocument:
    """The estate of an `estate plan --json` document."""
    resources = [
        Resource(
            urn=r["urn"],
            type=r["type"],
            name=r["name"],
            props=r["inputs"],
            protect=r.get("protect", False),
            retain_on_delete=r.get("retain_on_delete", False),
        )
        for r in document["resources"]
    ]
    violations = [Violation(**v) for v in document.get("violations", [])]
    return EstateDocument(
        "plan", document.get("stack", ""), document.get("outputs", {}), resources, violations
    )


def _from_export(document: dict[str, Any]) -> EstateDocument:
    deployed = document["deployment"].get("resources") or []
    stack_resource = next((r for r in deployed if r["type"] == STACK), {})
    resources = [
        Resource(
            urn=r["urn"],
            type=r["type"],
            name=r["urn"].rsplit("::", 1)[1],
            props={**(r.get("outputs") or {}), **(r.get("inputs") or {})},
            protect=bool(r.get("protect")),
            retain_on_delete=bool(r.get("retainOnDelete")),
        )
        for r in deployed
        if r["type"] != STACK
    ]
    violations, _ = evaluate(resources)
    stack = _stack_of(stack_resource.get("urn", resources[0].urn if resources else ""))
    return EstateDocument(
        "stack export", stack, stack_resource.get("outputs") or {}, resources, violations
    )


def load_document(path: Path, stack: str | None = None) -> EstateDocument:
    """Read any of the three inputs; `stack` names the stack of bare stack outputs."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except json.JSONDecodeError as error:
        raise DocumentError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict):
        raise DocumentError(f"{path}: expected a JSON object")
    if isinstance(document.get("resources"), list) and "outputs" in document:
        return from_plan_document(document)
    if isinstance(document.get("deployment"), dict):
        return _from_export(document)
    if "workspace" in document and "environment" in document:
        return EstateDocument(
            "stack outputs", stack or str(document["environment"]), document, [], None
        )
    raise DocumentError(
        f"{path}: not an estate plan (estate plan --json), a stack export "
        "(pulumi stack export) or the estate's stack outputs (pulumi stack "
        "output --json)"
    )
