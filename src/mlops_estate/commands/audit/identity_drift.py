"""Identities against the declared estate: who is in the workspace, who administers it, what
the users group entitles everyone to, and which tokens and secrets exist."""

from __future__ import annotations

from ...vocabulary.workspace import ADMINS_GROUP, USERS_GROUP
from .declared import DeclaredEstate
from .findings import Drift, Findings, Note
from .identities import Group, ServicePrincipal, Token
from .live import LiveState


def _entitlements(found: Findings, what: str, live: frozenset[str], wanted: frozenset[str]) -> None:
    if live != wanted:
        found.drift.append(
            Drift(
                "differs",
                what,
                f"live {', '.join(sorted(live)) or 'none'}; declared "
                f"{', '.join(sorted(wanted)) or 'none'}",
            )
        )


def _groups(
    declared: DeclaredEstate,
    groups: dict[str, Group],
    principals: dict[str, ServicePrincipal] | None,
    found: Findings,
) -> None:
    users = groups.get(USERS_GROUP)
    # Every workspace user and service principal is in `users` and holds its entitlements
    # ("All workspace users and service principals are members of the users group",
    # learn.microsoft.com/azure/databricks/security/auth/entitlements).
    everyone = users.entitlements if users else frozenset()
    if users is not None:
        _entitlements(found, "entitlements of group users", everyone, declared.users_entitlements)
        found.exposure.append(
            Note("the users group entitles everyone to", ", ".join(sorted(everyone)) or "nothing")
        )
    for group, wanted in sorted(declared.personas.items()):
        if group not in groups:
            found.drift.append(
                Drift("declared, not live", f"group {group}", "not in the workspace")
            )
            continue
        held = groups[group].entitlements | everyone
        _entitlements(
            found, f"entitlements of group {group} (with the users group's)", held, wanted
        )
    if principals is not None:
        deployer = principals.get(declared.deployer)
        who = declared.label(declared.deployer, "service_principal")
        if deployer is None:
            found.drift.append(Drift("declared, not live", who, "not in the workspace"))
        else:
            _entitlements(
                found,
                f"entitlements of {who} (with the users group's)",
                deployer.entitlements | everyone,
                declared.deployer_entitlements,
            )
    admins = groups.get(ADMINS_GROUP)
    if admins is None or principals is None:
        return
    runner = principals.get(declared.runner)
    for member in admins.members:
        if runner is not None and member.id == runner.id:
            found.exposure.append(
                Note("workspace admins", declared.label(declared.runner, "service_principal"))
            )
        else:
            found.drift.append(
                Drift(
                    "live, not declared",
                    "workspace admins (members of admins)",
                    f"{member.display} ({member.ref or member.id})",
                )
            )


def _assignments(declared: DeclaredEstate, live: LiveState, found: Findings) -> None:
    assigned = live.get("assignments")
    if assigned is None:
        return
    runner = ("service_principal", declared.runner)
    what = "workspace assignments"
    for principal, permissions in sorted(assigned.items()):
        who = declared.label(principal[1], principal[0])
        perms = ", ".join(sorted(permissions))
        if principal == runner:
            found.exposure.append(Note(what, f"{who}: {perms}"))
            continue
        wanted = declared.assignments.get(principal)
        if wanted is None:
            found.drift.append(Drift("live, not declared", what, f"{who}: {perms}"))
        elif permissions != wanted:
            found.drift.append(
                Drift("differs", what, f"{who}: live {perms}, declared {', '.join(sorted(wanted))}")
            )
        if "ADMIN" in permissions:
            found.exposure.append(Note("workspace admins", f"{who} (assigned ADMIN)"))
    for principal, wanted in sorted(declared.assignments.items()):
        if principal not in assigned:
            found.drift.append(
                Drift(
                    "declared, not live",
                    what,
                    f"{declared.label(principal[1], principal[0])}: {', '.join(sorted(wanted))}",
                )
            )


def _credentials(
    declared: DeclaredEstate,
    live: LiveState,
    principals: dict[str, ServicePrincipal] | None,
    found: Findings,
) -> None:
    """No token, client secret or service principal secret is created anywhere; with tokens
    on, only the service principals the estate lets use them may hold one."""
    tokens: tuple[Token, ...] | None = live.get("personal access tokens")
    if tokens is not None and principals is not None:
        allowed = {principals[name].id for name in declared.token_owners if name in principals}
        for token in tokens:
            detail = f"token {token.id} of {token.created_by or token.owner_id}"
            if token.owner_id in allowed:
                found.exposure.append(Note("personal access tokens", detail))
            else:
                found.drift.append(Drift("live, not declared", "personal access tokens", detail))
    for application_id in sorted(principals or {}):
        secrets = live.get("secrets", application_id)
        if secrets:
            found.drift.append(
                Drift(
                    "live, not declared",
                    "service principal secrets",
                    f"{declared.label(application_id, 'service_principal')}: "
                    f"{len(secrets)} OAuth secret(s) ({', '.join(secrets)})",
                )
            )


def identity_drift(declared: DeclaredEstate, live: LiveState) -> Findings:
    found = Findings()
    principals: dict[str, ServicePrincipal] | None = live.get("service principals")
    groups: dict[str, Group] | None = live.get("groups")
    if groups is not None:
        _groups(declared, groups, principals, found)
    _assignments(declared, live, found)
    _credentials(declared, live, principals, found)
    return found
