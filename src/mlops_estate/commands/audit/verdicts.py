"""The isolation rules on the live state: the same functions as in `estate plan` and the
policy pack, run on resources rebuilt from what was read. Rules about Azure resources or Pulumi
options cannot be seen in a workspace and are reported as not checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ...rules import RULES, Resource, Rule, Violation
from ...rules.context import StackContext, stack_context
from ...rules.evaluate import check_resource
from ...vocabulary.resource_types import (
    AZURE_WORKSPACE,
    CATALOG,
    ENTITLEMENTS,
    EXTERNAL_LOCATION,
    GRANTS,
    PERMISSIONS,
    SERVICE_PRINCIPAL,
    STORAGE_CREDENTIAL,
    WORKSPACE_BINDING,
    WORKSPACE_CONF,
)
from ...vocabulary.workspace import ENTITLEMENTS as ENTITLEMENT_TERMS
from ...vocabulary.workspace import REGISTRY_ROOT, USERS_GROUP
from .acl import LiveAcl, strongest
from .declared import DeclaredEstate
from .identities import Group, ServicePrincipal
from .live import LiveState
from .unity_catalog import LISTED_KINDS, Securable
from .workspace import Folder

_ACL_KEYS = {"group": "groupName", "user": "userName", "service_principal": "servicePrincipalName"}
_STORE_TYPES = {
    "catalog": CATALOG,
    "storage_credential": STORAGE_CREDENTIAL,
    "external_location": EXTERNAL_LOCATION,
}


@dataclass(frozen=True)
class RuleVerdict:
    rule: str
    enforcement: str
    verdict: Literal["pass", "fail", "incomplete", "not checked"]
    violations: tuple[Violation, ...] = ()


def _resource(typ: str, label: str, environment: str, /, **props: Any) -> Resource:
    return Resource(
        urn=f"urn:pulumi:{environment}::live::{typ}::{label}", type=typ, name=label, props=props
    )


def _permissions(label: str, environment: str, acl: LiveAcl, **target: str) -> Resource:
    """An access list as the rules read it: what each principal holds, inherited or not."""
    return _resource(
        PERMISSIONS,
        label,
        environment,
        **target,
        accessControls=[
            {_ACL_KEYS.get(kind, "userName"): principal, "permissionLevel": level}
            for (kind, principal), level in sorted(strongest(acl).items())
        ],
    )


def _entitlements(label: str, environment: str, held: frozenset[str], **who: str) -> Resource:
    return _resource(
        ENTITLEMENTS,
        label,
        environment,
        **who,
        **{prop: scim in held for prop, (_, scim) in ENTITLEMENT_TERMS.items()},
    )


def relevant_bindings(
    declared: DeclaredEstate, kind: str, name: str, live: LiveState
) -> frozenset[tuple[str, str]]:
    """A securable's live bindings that concern this stack: all of its own securables', and
    only those into this workspace for another stack's (the promotion source)."""
    bindings = live.get("bindings", kind, name) or frozenset()
    if (kind, name) in declared.owners:
        return bindings
    return frozenset(b for b in bindings if b[0] == declared.workspace_id)


def _unity_catalog(declared: DeclaredEstate, live: LiveState) -> list[Resource]:
    env = declared.environment
    resources = []
    for (kind, name), held in sorted(
        (key[1:], fact) for key, fact in live.facts.items() if key[0] == "grants"
    ):
        resources.append(
            _resource(
                GRANTS,
                f"{kind}:{name}",
                env,
                **{kind: name},
                grants=[
                    {"principal": p, "privileges": sorted(privileges)}
                    for p, privileges in sorted(held.items())
                ],
            )
        )
    for kind in LISTED_KINDS:
        listing: dict[str, Securable] = live.get("listing", kind) or {}
        for name, securable in sorted(listing.items()):
            if (kind, name) in declared.owners:
                resources.append(
                    _resource(
                        _STORE_TYPES[kind],
                        f"{kind}:{name}",
                        env,
                        name=name,
                        isolationMode=securable.isolation_mode,
                        owner=securable.owner,
                    )
                )
            if (kind, name) in declared.securables:
                resources += [
                    _resource(
                        WORKSPACE_BINDING,
                        f"{kind}:{name}@{workspace}",
                        env,
                        securableType=kind,
                        securableName=name,
                        workspaceId=workspace,
                        bindingType=binding_type,
                    )
                    for workspace, binding_type in sorted(
                        relevant_bindings(declared, kind, name, live)
                    )
                ]
    return resources


def _workspace(declared: DeclaredEstate, live: LiveState) -> list[Resource]:
    env = declared.environment
    resources = []
    for path in sorted(declared.folders):
        folder: Folder | None = live.get("folder", path)
        if folder is not None:
            resources.append(_permissions(f"folder:{path}", env, folder.acl, directoryPath=path))
    for key, label, target in (
        ("tokens", "tokens", {"authorization": "tokens"}),
        ("registry", "registry", {"registeredModelId": REGISTRY_ROOT}),
        ("personal compute", "personal-compute", {"clusterPolicyId": "personal-compute"}),
    ):
        acl: LiveAcl | None = live.get(key)
        if acl is not None:
            resources.append(_permissions(label, env, acl, **target))
    conf = live.get("conf")
    if conf is not None:
        resources.append(
            _resource(
                WORKSPACE_CONF,
                "conf",
                env,
                customConfig={k: v for k, v in conf.items() if v is not None},
            )
        )
    return resources


def _identities(declared: DeclaredEstate, live: LiveState) -> list[Resource]:
    env = declared.environment
    groups: dict[str, Group] = live.get("groups") or {}
    everyone = groups[USERS_GROUP].entitlements if USERS_GROUP in groups else frozenset()
    resources = [
        _entitlements(f"group:{name}", env, group.entitlements | everyone, groupId=name)
        for name, group in sorted(groups.items())
        if name in declared.personas or name == USERS_GROUP
    ]
    principals: dict[str, ServicePrincipal] = live.get("service principals") or {}
    deployer = principals.get(declared.deployer)
    if deployer is not None:
        resources.append(
            _entitlements(
                "deployer",
                env,
                deployer.entitlements | everyone,
                servicePrincipalId=declared.deployer,
            )
        )
    return resources


def live_resources(declared: DeclaredEstate, live: LiveState) -> list[Resource]:
    """The live state as the resources the rules read, named by what they are."""
    env = declared.environment
    return [
        _resource(
            AZURE_WORKSPACE,
            "workspace",
            env,
            workspaceName=declared.host,
            workspaceId=declared.workspace_id,
        ),
        *(
            _resource(SERVICE_PRINCIPAL, name, env, applicationId=name)
            for kind, name in declared.principals.values()
            if kind == "service_principal"
        ),
        *_unity_catalog(declared, live),
        *_workspace(declared, live),
        *_identities(declared, live),
    ]


def _violations(rule: Rule, resources: list[Resource], context: StackContext) -> list[Violation]:
    """One rule on the live state; a value it cannot judge is a violation: every value read
    is known, so the rule cannot be shown to hold."""
    found: list[Violation] = []
    for resource in resources:
        if not rule.applies_to(resource.type):
            continue
        result = check_resource(rule, resource, context)
        found += (
            result
            if isinstance(result, list)
            else [Violation(rule.name, rule.enforcement, resource.urn, result.reason)]
        )
    return found


def rule_verdicts(declared: DeclaredEstate, live: LiveState) -> list[RuleVerdict]:
    """Each rule's verdict on the live state; rules a workspace cannot show are not checked,
    and not run."""
    resources = live_resources(declared, live)
    context = stack_context(resources, declared.trust)
    verdicts = []
    for rule in RULES:
        if not rule.live:
            verdicts.append(RuleVerdict(rule.name, rule.enforcement, "not checked"))
            continue
        found = tuple(_violations(rule, resources, context))
        # Fail closed: without every read, the absence of a violation proves nothing.
        verdict = "fail" if found else "incomplete" if live.unreadable else "pass"
        verdicts.append(RuleVerdict(rule.name, rule.enforcement, verdict, found))
    return verdicts
