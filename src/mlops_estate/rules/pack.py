"""Pulumi policy objects for the rules: what `policy/__main__.py` wraps in a `PolicyPack`.

Building `ResourceValidationPolicy` and `StackValidationPolicy` objects is free; only
constructing the `PolicyPack` serves and blocks, which is why that stays in the pack.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .context import stack_context
from .evaluate import NotApplicableYet, check_resource
from .registry import RULES, Rule
from .resource import Resource

PACK_NAME = "mlops-estate-isolation"


def _resource(source: ResourceValidationArgs | PolicyResource) -> Resource:
    protect = bool(source.opts.protect) if source.opts is not None else False
    return Resource(
        urn=source.urn,
        type=source.resource_type,
        name=source.name,
        props=source.props,
        protect=protect,
    )


def _resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in rule.types:
            return
        resource = _resource(args)
        result = check_resource(rule, resource, stack_context([resource]))
        if isinstance(result, NotApplicableYet):
            args.not_applicable(result.reason)  # raises: the engine reports "not applicable"
            return
        for violation in result:
            report_violation(violation.message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        enforcement_level=EnforcementLevel(rule.enforcement),
        validate=validate,
    )


def _stack_policy(rule: Rule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [_resource(resource) for resource in args.resources]
        context = stack_context(resources)
        for resource in resources:
            if resource.type not in rule.types:
                continue
            result = check_resource(rule, resource, context)
            if isinstance(result, NotApplicableYet):
                continue  # checked again on the update, when the value is known
            for violation in result:
                report_violation(violation.message, violation.urn)

    return StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        enforcement_level=EnforcementLevel(rule.enforcement),
        validate=validate,
    )


def pack_policies() -> list[Policy]:
    """One Pulumi policy per rule, under the rule's name and enforcement level."""
    return [
        _resource_policy(rule) if rule.scope == "resource" else _stack_policy(rule)
        for rule in RULES
    ]
