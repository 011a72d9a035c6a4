"""Evaluate every rule on a stack's resources: the engine behind every verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .context import StackContext, stack_context
from .registry import RULES, Rule
from .resource import NotYetKnown, Resource
from .trust import Trust


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
    rule: Rule, resource: Resource, context: StackContext | Trust
) -> list[Violation] | NotApplicableYet:
    """One rule on one resource: its violations, or why it cannot be checked before the update.

    A resource rule needs only the stack's trust; a stack rule needs the whole stack's context.
    """
    if rule.scope == "stack" and not isinstance(context, StackContext):
        raise TypeError(f"{rule.name} is a stack rule: it needs the stack's context")
    argument = (
        context.trust if rule.scope == "resource" and isinstance(context, StackContext) else context
    )
    try:
        return [
            Violation(rule.name, rule.enforcement, resource.urn, message)
            for message in rule.check(resource, argument)
        ]  # type: ignore[arg-type]
    except NotYetKnown as unknown:
        return NotApplicableYet(rule.name, resource.urn, f"{unknown} is not known yet")


def evaluate(
    resources: Iterable[Resource], trust: Trust
) -> tuple[list[Violation], list[NotApplicableYet]]:
    """Every rule on every resource of its types, in rule order, then resource order."""
    resources = list(resources)
    context = stack_context(resources, trust)
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
