"""Evaluate every rule on a stack's resources: the engine behind every verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_policy.proxy import UnknownValueError

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


def mandatory(violations: Iterable[Violation]) -> list[Violation]:
    """The violations that block a deployment."""
    return [v for v in violations if v.enforcement == "mandatory"]


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
    except UnknownValueError:
        # A rule that touched an unknown value through the policy engine's proxy without
        # `Resource.get`: not applicable yet, like any other unknown, never silently skipped.
        return NotApplicableYet(rule.name, resource.urn, "a value is not known yet")


def evaluate(
    resources: Iterable[Resource],
    trust: Trust,
    lookups: Iterable[Any] | None = None,
    unknown_fails: bool = False,
) -> tuple[list[Violation], list[NotApplicableYet]]:
    """Every rule on every resource of its types, in rule order, then resource order.

    `lookups` are the invokes an offline plan saw the program make; None for a judge that
    cannot see them (a policy pack, an audit).
    With `unknown_fails` (an offline plan, where every value is known, or a file given as
    evidence), a rule that meets an unknown value reports a violation instead of waiting.
    """
    resources = list(resources)
    context = stack_context(resources, trust, lookups)
    violations: list[Violation] = []
    not_applicable: list[NotApplicableYet] = []
    for rule in RULES:
        for resource in resources:
            if not rule.applies_to(resource.type):
                continue
            result = check_resource(rule, resource, context)
            if isinstance(result, NotApplicableYet):
                if unknown_fails:
                    violations.append(
                        Violation(
                            rule.name,
                            rule.enforcement,
                            resource.urn,
                            f"cannot be checked: {result.reason}, where every value should be",
                        )
                    )
                else:
                    not_applicable.append(result)
            else:
                violations.extend(result)
    return violations, not_applicable
