"""The estate as auditors and reviewers receive it: a plan, a stack export or stack outputs.

- `estate plan --json`: resources (inputs), outputs and the stack config the rules trust;
- `pulumi stack export`: the deployed resources (inputs and outputs), with the stack's config
  given apart (`--config Pulumi.<stack>.yaml`), since an export holds none;
- `pulumi stack output --json`: the outputs only; the rules cannot be checked from them.

A verdict is always recomputed from the resources: a `violations` list in a file is never
trusted, since whoever wrote the file could have written anything there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import ConfigError
from ..rules import Resource, Trust, Violation, evaluate
from ..vocabulary.resource_types import STACK
from .plan.record import Lookup, PlannedResource

NO_CONFIG = object()  # no stack config at hand: the rules cannot be checked


class DocumentError(Exception):
    """A file that is not an estate plan, stack export or stack outputs; names the file."""


@dataclass(frozen=True)
class EstateDocument:
    source: Literal["plan", "stack export", "stack outputs"]
    stack: str
    outputs: dict[str, Any]
    resources: list[Resource]
    trust: Trust | None
    """What the rules trust, from the stack config; None: the rules cannot be checked."""
    lookups: tuple[Lookup, ...] = ()
    """The lookups a plan's program made, which name the groups it refers to by id."""
    registrations: tuple[PlannedResource, ...] = ()
    """A plan's registrations as the program made them, with their aliases."""

    @property
    def environment(self) -> str:
        return str(self.outputs.get("environment", "unknown"))

    @property
    def violations(self) -> list[Violation] | None:
        """Every rule's violations, recomputed from the resources; None if it cannot be."""
        if self.trust is None:
            return None
        return evaluate(self.resources, self.trust, self.lookups, unknown_fails=True)[0]


class _PlanDocument(BaseModel):
    """The parts of `estate plan --json` that a report or a verdict reads."""

    model_config = ConfigDict(extra="ignore")
    stack: str
    config: Any = None
    resources: list[PlannedResource]
    lookups: list[Lookup] = []
    outputs: dict[str, Any]


def _trust(stack: str, config: Any) -> Trust | None:
    if config is NO_CONFIG:
        return None
    try:
        return Trust.from_raw_config(stack, config)
    except ConfigError as error:
        raise DocumentError(f"the stack config of {stack!r} cannot be trusted: {error}") from None


def from_plan_document(document: dict[str, Any], config: Any = NO_CONFIG) -> EstateDocument:
    """The estate of an `estate plan --json` document; `config` overrides the one it carries."""
    try:
        plan = _PlanDocument.model_validate(document)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5]
        )
        raise DocumentError(f"not an estate plan: {problems}") from None
    resources = [r.as_resource() for r in plan.resources]
    trust = _trust(plan.stack, plan.config if config is NO_CONFIG else config)
    return EstateDocument(
        "plan",
        plan.stack,
        plan.outputs,
        resources,
        trust,
        tuple(plan.lookups),
        tuple(plan.resources),
    )


def _from_export(document: dict[str, Any], config: Any) -> EstateDocument:
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
    stack = stack_resource.get("urn", resources[0].urn if resources else "")
    stack = stack.split("::")[0].removeprefix("urn:pulumi:")
    outputs = stack_resource.get("outputs") or {}
    return EstateDocument("stack export", stack, outputs, resources, _trust(stack, config))


def load_document(path: Path, stack: str | None = None, config: Any = NO_CONFIG) -> EstateDocument:
    """Read any of the three inputs; `stack` names the stack of bare stack outputs, and
    `config` is the stack's `mlops-estate:estate` config, where the file holds none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DocumentError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict):
        raise DocumentError(f"{path}: expected a JSON object")
    try:
        if isinstance(document.get("resources"), list) and "outputs" in document:
            return from_plan_document(document, config)
        if isinstance(document.get("deployment"), dict):
            return _from_export(document, config)
    except DocumentError as error:
        raise DocumentError(f"{path}: {error}") from None
    except (KeyError, TypeError, AttributeError) as error:
        raise DocumentError(f"{path}: not a stack export ({error!r} is malformed)") from None
    if "workspace" in document and "environment" in document:
        return EstateDocument(
            "stack outputs", stack or str(document["environment"]), document, [], None
        )
    raise DocumentError(
        f"{path}: not an estate plan (estate plan --json), a stack export "
        "(pulumi stack export) or the estate's stack outputs (pulumi stack "
        "output --json)"
    )
