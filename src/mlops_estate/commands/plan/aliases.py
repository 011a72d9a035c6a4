"""URNs as the Pulumi engine makes them, and the former URNs that aliases give a resource.

A registration carries alias specs (name, type, parent, stack, project); the engine resolves
them to URNs, and a child inherits one alias for each of its parent's
(https://www.pulumi.com/docs/iac/concepts/options/aliases/). The plan resolves them the same
way, so a test can show that every moved resource keeps its identity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...vocabulary.resource_types import STACK


def make_urn(stack: str, project: str, parent: str | None, type_: str, name: str) -> str:
    """`urn:pulumi:STACK::PROJECT::[PARENT-TYPES$]TYPE::NAME`."""
    qualified = type_
    if parent:
        parent_types = parent.split("::")[2]
        if parent_types != STACK:
            qualified = f"{parent_types}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def alias_urns(
    urn: str,
    type_: str,
    name: str,
    parent: str | None,
    aliases: Sequence[Mapping[str, Any]],
    parent_aliases: Sequence[str],
) -> list[str]:
    """Every former URN of a resource: its own aliases, then those inherited from its parent."""
    stack, project = urn.removeprefix("urn:pulumi:").split("::")[:2]
    former: list[str] = []
    for alias in aliases:
        if "urn" in alias:
            former.append(alias["urn"])
            continue
        if alias.get("no_parent"):
            parents: list[str | None] = [None]
        elif alias.get("parent"):
            parents = [alias["parent"]]
        else:
            parents = [parent, *parent_aliases]
        former += [
            make_urn(
                alias.get("stack") or stack,
                alias.get("project") or project,
                former_parent,
                alias.get("type") or type_,
                alias.get("name") or name,
            )
            for former_parent in parents
        ]
    former += [
        make_urn(stack, project, former_parent, type_, name) for former_parent in parent_aliases
    ]
    return [u for u in dict.fromkeys(former) if u != urn]


def former_urns(resources: Sequence[Any]) -> dict[str, list[str]]:
    """Every planned resource's former URNs, resolved parents first as the engine does."""
    former: dict[str, list[str]] = {}
    for resource in sorted(resources, key=lambda r: r.urn.split("::")[2].count("$")):
        former[resource.urn] = alias_urns(
            resource.urn,
            resource.type,
            resource.name,
            resource.parent,
            resource.aliases,
            former.get(resource.parent, []),
        )
    return former
