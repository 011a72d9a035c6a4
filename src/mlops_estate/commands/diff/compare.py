"""Two plans compared: what the config trusts, access gained and lost, resources moved,
added, removed, renamed and changed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ...rules import Resource, Trust
from ..documents import EstateDocument
from ..plan.aliases import DuplicateClaim, claimed_urns
from .access import Access, access_of


class DiffError(Exception):
    """Two documents that cannot be compared, or a head that Pulumi would refuse."""


@dataclass
class EstateDiff:
    trust_changed: list[dict[str, Any]] = field(default_factory=list)
    """What the stack config trusts (allow-listed types, declared principals, persona groups,
    subjects, scopes), before and after: reviewed first, since the rules judge by it."""
    access_gained: list[Access] = field(default_factory=list)
    access_lost: list[Access] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[dict[str, str]] = field(default_factory=list)
    """New URNs that take over old ones through aliases: Pulumi keeps the resource."""
    renamed: list[dict[str, str]] = field(default_factory=list)
    """Same type and inputs under a new URN with no alias: Pulumi replaces the resource."""
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(asdict(self).values())


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def trust_changes(base: Trust | None, head: Trust | None) -> list[dict[str, Any]]:
    """Each field of what the rules trust that differs between base and head."""
    if base is None or head is None:
        if base is head:
            return []
        return [
            {
                "what": "stack config",
                "before": "absent" if base is None else "present",
                "after": "absent" if head is None else "present",
            }
        ]
    return [
        {
            "what": f.name,
            "before": _plain(getattr(base, f.name)),
            "after": _plain(getattr(head, f.name)),
        }
        for f in fields(Trust)
        if getattr(base, f.name) != getattr(head, f.name)
    ]


def _signature(resource: Resource) -> str:
    """What a resource declares, without the id it was given: a rename keeps the first."""
    declared = {key: value for key, value in resource.props.items() if key != "id"}
    return json.dumps([resource.type, declared], sort_keys=True, default=str)


def _changes(old: Resource, new: Resource) -> dict[str, Any]:
    return {
        key: {"before": old.props.get(key), "after": new.props.get(key)}
        for key in sorted(set(old.props) | set(new.props))
        if old.props.get(key) != new.props.get(key)
    }


def diff(base: EstateDocument, head: EstateDocument) -> EstateDiff:
    """What changes from base to head; DiffError if they are different stacks, or if the head
    has two resources claiming one old resource (Pulumi refuses that update)."""
    if base.stack != head.stack:
        raise DiffError(f"the base is the stack {base.stack!r} and the head {head.stack!r}")
    before = {r.urn: r for r in base.resources}
    after = {r.urn: r for r in head.resources}
    try:
        moves = claimed_urns(head.registrations, set(before))
    except DuplicateClaim as error:
        raise DiffError(f"the head cannot be deployed: {error}") from None
    result = EstateDiff(trust_changed=trust_changes(base.trust, head.trust))
    result.moved = [{"from": old, "to": new} for new, old in sorted(moves.items())]
    removed = sorted(set(before) - set(after) - set(moves.values()))
    unmatched_added = {
        urn: _signature(after[urn]) for urn in sorted(set(after) - set(before) - set(moves))
    }
    for urn in removed:
        signature = _signature(before[urn])
        match = next((new for new, sig in unmatched_added.items() if sig == signature), None)
        if match is None:
            result.removed.append(urn)
        else:
            result.renamed.append({"from": urn, "to": match})
            del unmatched_added[match]
    result.added = sorted(unmatched_added)
    pairs = [(urn, urn) for urn in sorted(set(before) & set(after))] + sorted(
        (old, new) for new, old in moves.items()
    )
    for old_urn, new_urn in pairs:
        changes = _changes(before[old_urn], after[new_urn])
        if changes:
            result.changed.append({"urn": new_urn, "properties": changes})
    base_access = access_of(base.resources, base.lookups)
    head_access = access_of(head.resources, head.lookups)
    result.access_gained = sorted(head_access - base_access)
    result.access_lost = sorted(base_access - head_access)
    return result
