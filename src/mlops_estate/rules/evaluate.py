"""Evaluate every rule on a stack's resources: the engine behind every verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .context import StackContext, stack_context
from .registry import RULES, Rule
from .resource import NotYetKnown, Resource


@dataclass(frozen=True)
class Violation:
    policy: str
    enforcement: str
    urn: str
    message: str


@dataclass(frozen=True)
class NotApplicableYet:
    policy: str
    urn: str
    reason: str


def check_resource(
    rule: Rule, resource: Resource, context: StackContext
) -> list[Violation] | NotApplicableYet:
    """One rule on one resource: its violations, or why it cannot be checked before the update."""
    try:
        return [
            Violation(rule.name, rule.enforcement, resource.urn, message)
            for message in rule.check(resource, context)
        ]
    except NotYetKnown as unknown:
        return NotApplicableYet(rule.name, resource.urn, f"{unknown} is not known yet")


def evaluate(resources: Iterable[Resource]) -> tuple[list[Violation], list[NotApplicableYet]]:
    """Every rule on every resource of its types, in rule order, then resource order."""
    resources = list(resources)
    context = stack_context(resources)
    violations: list[Violation] = []
    not_applicable: list[NotApplicableYet] = []
    for rule in RULES:
        for resource in resources:
            if resource.type not in rule.types:
                continue
            result = check_resource(rule, resource, context)
            if isinstance(result, NotApplicableYet):
                not_applicable.append(result)
            else:
                violations.extend(result)
    return violations, not_applicable
