"""The rules' registry: each rule with its name, level, what it checks and how to fix it.

The registry is the only list of rules: the policy pack, `estate plan`, the reports, the
audit and the rules document (`docs/isolation-rules.md`) all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from .context import StackContext
from .resource import Resource
from .trust import Trust

# A resource rule reads the resource and what the stack's config declares; a stack rule also
# reads the stack's other resources.
ResourceCheck = Callable[[Resource, Trust], Iterator[str]]
StackCheck = Callable[[Resource, StackContext], Iterator[str]]
Check = ResourceCheck | StackCheck
Enforcement = Literal["mandatory", "advisory"]
Scope = Literal["resource", "stack"]


@dataclass(frozen=True)
class Rule:
    name: str
    """Stable: CI configs, auditors and tests refer to it."""
    enforcement: Enforcement
    """mandatory blocks a deployment; advisory is reported."""
    description: str
    """What the rule checks."""
    fix: str
    """How to fix a violation."""
    types: frozenset[str] | None
    """The resource types it looks at; None: every type."""
    check: Check
    """Yields one message per violation, each saying what to change."""
    scope: Scope = "resource"
    """resource: needs only the resource and the stack's config, so the policy pack checks it
    before the resource is created; stack: also reads other resources of the stack, so the pack
    checks it once the whole stack is known (at the end of `pulumi preview`)."""
    live: bool = False
    """Whether `estate audit` can show it on a live workspace."""

    def applies_to(self, resource_type: str) -> bool:
        return self.types is None or resource_type in self.types


RULES: list[Rule] = []


def rule(
    name: str,
    enforcement: Enforcement,
    description: str,
    fix: str,
    types: Iterable[str] | None,
    scope: Scope = "resource",
    live: bool = False,
) -> Callable[[Check], Check]:
    """Register `check` as the rule `name`; `types` None: it looks at every type."""

    def register(check: Check) -> Check:
        frozen = None if types is None else frozenset(types)
        RULES.append(Rule(name, enforcement, description, fix, frozen, check, scope, live))
        return check

    return register


def reviewed_types() -> frozenset[str]:
    """Every resource type some rule reads."""
    return frozenset(t for rule in RULES if rule.types is not None for t in rule.types)
