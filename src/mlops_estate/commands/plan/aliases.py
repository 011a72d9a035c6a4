"""URNs as the Pulumi engine makes them, and the former URNs that aliases let a resource claim.

A registration carries alias specs (name, type, parent, stack, project). The engine resolves
each to a URN and, if the resource's parent took over an old resource through an alias, adds
the URNs the resource would have had under that old parent: a child inherits the one alias its
parent actually used, not every alias its parent declared. It then looks the resource up in
the old state by its own URN first and then by each alias URN in order; the first that exists
is claimed, and two resources claiming one old URN is an error
(pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `generateAliases` and the lookup in
`generateSteps`; https://www.pulumi.com/docs/iac/concepts/options/aliases/). The plan resolves
aliases the same way, so a test can show that every moved resource keeps its identity.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from ...vocabulary.resource_types import STACK


class Registration(Protocol):
    """What aliasing reads of a registered resource (a `PlannedResource`)."""

    urn: str
    type: str
    name: str
    parent: str
    aliases: list[dict[str, Any]]


class DuplicateClaim(ValueError):
    """Two resources claim the same old URN; the engine refuses such an update."""


def make_urn(stack: str, project: str, parent: str | None, type_: str, name: str) -> str:
    """`urn:pulumi:STACK::PROJECT::[PARENT-TYPES$]TYPE::NAME`."""
    qualified = type_
    if parent:
        parent_types = parent.split("::")[2]
        if parent_types != STACK:
            qualified = f"{parent_types}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def _type_and_name(urn: str) -> tuple[str, str]:
    qualified_type, name = urn.split("::", 3)[2:]
    return qualified_type.rsplit("$", 1)[-1], name


def alias_urns(
    urn: str,
    type_: str,
    name: str,
    parent: str | None,
    aliases: Sequence[Mapping[str, Any]],
    claims: Mapping[str, str],
) -> list[str]:
    """A resource's alias URNs in the engine's order.

    First its own aliases (an alias without a parent keeps the current parent; one naming a
    parent that took over an old resource uses that old URN). Then, if its parent took over an
    old resource (`claims`: new URN to the old URN it claimed), the URNs it would have had under
    that old parent, itself and each of its aliases; a name that starts with the parent's name
    takes the old parent's name as its prefix.
    """
    stack, project = urn.removeprefix("urn:pulumi:").split("::")[:2]

    def collapse(alias: Mapping[str, Any]) -> str:
        if "urn" in alias:
            return str(alias["urn"])
        alias_parent = alias.get("parent")
        former_parent = claims.get(alias_parent, alias_parent) if alias_parent else parent
        return make_urn(
            alias.get("stack") or stack,
            alias.get("project") or project,
            None if alias.get("no_parent") else former_parent,
            alias.get("type") or type_,
            alias.get("name") or name,
        )

    former = [collapse(alias) for alias in aliases]
    parent_claimed = claims.get(parent) if parent else None
    if parent and parent_claimed:
        parent_name, old_parent_name = parent.split("::", 3)[3], parent_claimed.split("::", 3)[3]

        def inherited(child_type: str, child_name: str) -> str:
            if child_name.startswith(parent_name):
                child_name = old_parent_name + child_name.removeprefix(parent_name)
            return make_urn(stack, project, parent_claimed, child_type, child_name)

        former.append(inherited(type_, name))
        former += [inherited(*_type_and_name(collapse(alias))) for alias in aliases]
    return [u for u in dict.fromkeys(former) if u != urn]


def claimed_urns(resources: Sequence[Registration], old_urns: Collection[str]) -> dict[str, str]:
    """The old URN each resource takes over through an alias, as the engine picks it: its own
    URN if that is in the old state, else the first of its alias URNs that is.

    Raises DuplicateClaim when two resources claim one old URN, or a resource claims an old URN
    that another resource still has.
    """
    current = {resource.urn for resource in resources}
    claims: dict[str, str] = {}  # new URN -> the old URN it took over
    claimed_by: dict[str, str] = {}  # old URN -> the new URN that took it over
    for resource in sorted(resources, key=lambda r: r.urn.split("::")[2].count("$")):
        if resource.urn in old_urns:
            continue
        candidates = alias_urns(
            resource.urn, resource.type, resource.name, resource.parent, resource.aliases, claims
        )
        old = next((candidate for candidate in candidates if candidate in old_urns), None)
        if old is None:
            continue
        if old in current or old in claimed_by:
            raise DuplicateClaim(
                f"{resource.urn} claims {old}, which {claimed_by.get(old, old)} already has"
            )
        claims[resource.urn], claimed_by[old] = old, resource.urn
    return claims
