"""Pulumi policy objects for the rules: what `policy/__main__.py` wraps in a `PolicyPack`.

Building `ResourceValidationPolicy` and `StackValidationPolicy` objects is free; only
constructing the `PolicyPack` serves and blocks, which is why that stays in the pack.
"""

from __future__ import annotations

import json

import pulumi
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

from ..config import CONFIG_ROOT, ConfigError
from .context import stack_context
from .evaluate import NotApplicableYet, check_resource
from .registry import RULES, Rule
from .resource import Resource
from .trust import Trust

PACK_NAME = "mlops-estate-isolation"


def stack_trust(stack: str) -> Trust:
    """The trust of the stack under analysis, from the stack config the engine hands the pack.

    The Pulumi engine passes the stack's config to a policy pack in PULUMI_CONFIG (a JSON object
    of `namespace:key` to values, structured values as JSON strings).
    """
    raw = pulumi.runtime.get_config_env().get(CONFIG_ROOT)
    return Trust.from_raw_config(stack, json.loads(raw) if isinstance(raw, str) else raw)


def _resource(source: ResourceValidationArgs | PolicyResource) -> Resource:
    """A resource as the engine shows it: a stack policy also sees its dependencies.

    The engine shows a policy `protect`, not `retain_on_delete`, so the rules require `protect`.
    """
    protect = bool(source.opts.protect) if source.opts is not None else False
    property_dependencies = getattr(source, "property_dependencies", None) or {}
    # A stack policy sees each resource's dependencies (PolicyResource.dependencies); a
    # resource policy does not, so the deploy-order rules are stack rules.
    dependencies = getattr(source, "dependencies", None) or []
    return Resource(
        urn=source.urn,
        type=source.resource_type,
        name=source.name,
        props=source.props,
        protect=protect,
        provider=source.provider.urn if source.provider is not None else "",
        property_dependencies={
            key: tuple(r.urn for r in resources) for key, resources in property_dependencies.items()
        },
        dependencies=tuple(r.urn for r in dependencies),
    )


def _config_violation(error: ConfigError) -> str:
    return f"the stack config cannot be trusted, so nothing can be checked: {error}"


def _resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not rule.applies_to(args.resource_type):
            return
        resource = _resource(args)
        try:
            trust = stack_trust(resource.stack)
        except ConfigError as error:
            report_violation(_config_violation(error), None)
            return
        result = check_resource(rule, resource, trust)
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
        if not resources:
            return
        try:
            context = stack_context(resources, stack_trust(resources[0].stack))
        except ConfigError as error:
            report_violation(_config_violation(error), None)
            return
        for resource in resources:
            if not rule.applies_to(resource.type):
                continue
            result = check_resource(rule, resource, context)
            if isinstance(result, NotApplicableYet):
                # The engine runs stack policies once, at the end of the preview or after the
                # update's changes: a stack rule that cannot check now would check too late.
                report_violation(
                    f"cannot be checked before the update: {result.reason}; "
                    "deploy what it depends on first",
                    resource.urn,
                )
                continue
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
