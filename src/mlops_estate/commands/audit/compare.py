"""Live against declared: drift in both directions, and the isolation rules on the live state.

The rules are the same functions as in `estate plan` and the policy pack, run on resources
rebuilt from what was read. Rules about Azure resources or Pulumi options cannot be seen in a
workspace and are reported as not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ...rules import RULES, Resource, Violation, evaluate
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
)
from ...vocabulary.unity_catalog import CATALOG_ISOLATED, STORAGE_ISOLATED
from ...vocabulary.workspace import ENTITLEMENTS as ENTITLEMENT_NAMES
from ...vocabulary.workspace import REGISTRY_ROOT
from .declared import Acl, DeclaredEstate
from .live import LiveState

_ACL_KEYS = {"group": "groupName", "user": "userName", "service_principal": "servicePrincipalName"}
_STORE_TYPES = {
    "catalog": CATALOG,
    "storage_credential": STORAGE_CREDENTIAL,
    "external_location": EXTERNAL_LOCATION,
}


@dataclass(frozen=True, order=True)
class Drift:
    kind: Literal["live, not declared", "declared, not live", "differs"]
    what: str
    detail: str


@dataclass(frozen=True)
class RuleVerdict:
    rule: str
    enforcement: str
    verdict: Literal["pass", "fail", "incomplete", "not checked"]
    violations: tuple[Violation, ...] = ()


def _acl_drift(what: str, declared: Acl, live: Acl) -> list[Drift]:
    drift = []
    for key in sorted(set(declared) | set(live)):
        principal = f"{key[0]} {key[1]}"
        if key not in live:
            drift.append(Drift("declared, not live", what, f"{principal}: {declared[key]}"))
        elif key not in declared:
            drift.append(Drift("live, not declared", what, f"{principal}: {live[key]}"))
        elif declared[key] != live[key]:
            drift.append(
                Drift("differs", what, f"{principal}: declared {declared[key]}, live {live[key]}")
            )
    return drift


def _relevant_bindings(
    declared: DeclaredEstate, kind: str, name: str, facts: dict[tuple[str, ...], Any]
) -> list[tuple[str, str]] | None:
    """A securable's live bindings that concern this stack: all of its own securables',
    and only those into this workspace for another environment's (the promotion source)."""
    live_bindings = facts.get(("bindings", kind, name))
    if live_bindings is None or (kind, name) in declared.owners:
        return live_bindings
    return [b for b in live_bindings if b[0] == declared.workspace_id]


def drift(declared: DeclaredEstate, live: LiveState) -> list[Drift]:
    """Every difference between what was read and what is declared."""
    found: list[Drift] = []
    facts = live.facts
    for (kind, name), owner in sorted(declared.owners.items()):
        fact = facts.get(("securable", kind, name))
        if fact is None:
            continue
        expected = CATALOG_ISOLATED if kind == "catalog" else STORAGE_ISOLATED
        if fact["isolation_mode"] != expected:
            found.append(
                Drift(
                    "differs",
                    f"{kind} {name}",
                    f"isolation mode {fact['isolation_mode'] or 'unset'}, declared {expected}",
                )
            )
        if fact["owner"] != owner:
            found.append(
                Drift("differs", f"{kind} {name}", f"owner {fact['owner']}, declared {owner}")
            )
    for kind, name in declared.binding_securables:
        live_bindings = _relevant_bindings(declared, kind, name, facts)
        if live_bindings is None:
            continue
        wanted = {
            (b.workspace_id, b.binding_type)
            for b in declared.bindings
            if (b.securable_type, b.securable) == (kind, name)
        }
        for workspace, binding_type in sorted(wanted - set(live_bindings)):
            found.append(
                Drift(
                    "declared, not live",
                    f"bindings of {kind} {name}",
                    f"workspace {workspace} {binding_type}",
                )
            )
        for workspace, binding_type in sorted(set(live_bindings) - wanted):
            found.append(
                Drift(
                    "live, not declared",
                    f"bindings of {kind} {name}",
                    f"workspace {workspace} {binding_type}",
                )
            )
    for (kind, name), granted in sorted(declared.grants.items()):
        live_grants = facts.get(("grants", kind, name))
        if live_grants is None:
            continue
        for principal in sorted(set(granted) | set(live_grants)):
            wanted, held = (
                granted.get(principal, frozenset()),
                live_grants.get(principal, frozenset()),
            )
            if held - wanted:
                found.append(
                    Drift(
                        "live, not declared",
                        f"grants on {kind} {name}",
                        f"{principal}: {', '.join(sorted(held - wanted))}",
                    )
                )
            if wanted - held:
                found.append(
                    Drift(
                        "declared, not live",
                        f"grants on {kind} {name}",
                        f"{principal}: {', '.join(sorted(wanted - held))}",
                    )
                )
    for path, acl in sorted(declared.folders.items()):
        if ("folder", path) in facts:
            found += _acl_drift(f"folder {path}", acl, facts[("folder", path)])
    for key, what, acl in (
        (("tokens",), "token permissions", declared.token_usage),
        (("registry",), "workspace model registry", declared.registry),
    ):
        if key in facts:
            found += _acl_drift(what, acl, facts[key])
    for group, wanted in sorted(declared.personas.items()):
        held = facts.get(("entitlements", group))
        if held is not None and held != wanted:
            found.append(
                Drift(
                    "differs",
                    f"entitlements of group {group}",
                    f"live {', '.join(sorted(held)) or 'none'}; declared "
                    f"{', '.join(sorted(wanted)) or 'none'}",
                )
            )
    conf = facts.get(("conf",))
    if conf is not None:
        for key, value in sorted(declared.conf.items()):
            if str(conf.get(key)).lower() != value.lower():
                found.append(
                    Drift(
                        "differs",
                        "workspace settings",
                        f"{key} is {conf.get(key)}, declared {value}",
                    )
                )
    return found


def _resource(typ: str, label: str, environment: str, /, **props: Any) -> Resource:
    return Resource(
        urn=f"urn:pulumi:{environment}::live::{typ}::{label}", type=typ, name=label, props=props
    )


def _permissions(label: str, environment: str, acl: Acl, **target: str) -> Resource:
    return _resource(
        PERMISSIONS,
        label,
        environment,
        **target,
        accessControls=[
            {_ACL_KEYS[kind]: principal, "permissionLevel": level}
            for (kind, principal), level in sorted(acl.items())
        ],
    )


def live_resources(declared: DeclaredEstate, live: LiveState) -> list[Resource]:
    """The live state as the resources the rules read, named by what they are."""
    env = declared.environment
    facts = live.facts
    resources = [
        _resource(
            AZURE_WORKSPACE,
            "workspace",
            env,
            workspaceName=declared.host,
            workspaceId=declared.workspace_id,
        ),
        *(
            _resource(SERVICE_PRINCIPAL, p["name"], env, applicationId=p["name"])
            for p in declared.principals.values()
            if p["kind"] == "service_principal"
        ),
    ]
    # Grants as the rules should see them: effective (inherited included) where read.
    for kind, name in sorted({key[1:] for key in facts if key[0] in ("grants", "effective")}):
        granted = facts.get(("effective", kind, name), facts.get(("grants", kind, name)))
        resources.append(
            _resource(
                GRANTS,
                f"{kind}:{name}",
                env,
                **{kind: name},
                grants=[
                    {"principal": p, "privileges": sorted(v)} for p, v in sorted(granted.items())
                ],
            )
        )
    for key, fact in sorted(facts.items()):
        match key:
            case ("securable", kind, name):
                resources.append(
                    _resource(
                        _STORE_TYPES[kind],
                        f"{kind}:{name}",
                        env,
                        name=name,
                        isolationMode=fact["isolation_mode"],
                        owner=fact["owner"],
                    )
                )
            case ("bindings", kind, name):
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
                    for workspace, binding_type in _relevant_bindings(declared, kind, name, facts)
                    or []
                ]
            case ("folder", path):
                resources.append(_permissions(f"folder:{path}", env, fact, directoryPath=path))
            case ("tokens",):
                resources.append(_permissions("tokens", env, fact, authorization="tokens"))
            case ("registry",):
                resources.append(
                    _permissions("registry", env, fact, registeredModelId=REGISTRY_ROOT)
                )
            case ("entitlements", group):
                resources.append(
                    _resource(
                        ENTITLEMENTS,
                        f"group:{group}",
                        env,
                        groupId=group,
                        **{prop: scim in fact for prop, (_, scim) in ENTITLEMENT_NAMES.items()},
                    )
                )
    return resources


def live_rule_verdicts(declared: DeclaredEstate, live: LiveState) -> list[RuleVerdict]:
    """Each rule's verdict on the live state; rules a workspace cannot show are not checked."""
    violations, _ = evaluate(live_resources(declared, live), declared.trust)
    verdicts = []
    for rule in RULES:
        if not rule.live:
            verdicts.append(RuleVerdict(rule.name, rule.enforcement, "not checked"))
            continue
        found = tuple(v for v in violations if v.policy == rule.name)
        # Fail closed: without every read, the absence of a violation proves nothing.
        verdict = "fail" if found else "incomplete" if live.unreadable else "pass"
        verdicts.append(RuleVerdict(rule.name, rule.enforcement, verdict, found))
    return verdicts
