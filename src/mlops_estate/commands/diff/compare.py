"""Two plans compared: resources added, removed, renamed and changed; access gained and lost."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ...rules import Resource
from ..documents import EstateDocument
from .access import Access, access_of


@dataclass
class EstateDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[dict[str, str]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    access_gained: list[Access] = field(default_factory=list)
    access_lost: list[Access] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(asdict(self).values())


def _signature(resource: Resource) -> str:
    return json.dumps([resource.type, resource.props], sort_keys=True, default=str)


def diff(base: EstateDocument, head: EstateDocument) -> EstateDiff:
    before = {r.urn: r for r in base.resources}
    after = {r.urn: r for r in head.resources}
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    result = EstateDiff()
    # Same type and inputs under a new name: a rename (a replacement, unless aliased).
    unmatched_added = {urn: _signature(after[urn]) for urn in added}
    for urn in removed:
        signature = _signature(before[urn])
        match = next((new for new, sig in unmatched_added.items() if sig == signature), None)
        if match is None:
            result.removed.append(urn)
        else:
            result.renamed.append({"from": urn, "to": match})
            del unmatched_added[match]
    result.added = sorted(unmatched_added)
    for urn in sorted(set(before) & set(after)):
        old, new = before[urn].props, after[urn].props
        changes = {
            key: {"before": old.get(key), "after": new.get(key)}
            for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)
        }
        if changes:
            result.changed.append({"urn": urn, "properties": changes})
    base_access, head_access = access_of(base.resources), access_of(head.resources)
    result.access_gained = sorted(head_access - base_access)
    result.access_lost = sorted(base_access - head_access)
    return result
