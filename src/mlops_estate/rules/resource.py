"""What a rule sees: resources as the policy engine and `estate plan` both present them.

During a real preview some values are unknown: reading one raises `NotYetKnown`, and the
evaluator reports the rule as not applicable yet for that resource; the update checks it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

_UNKNOWN_SENTINELS = {
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
}


class NotYetKnown(Exception):
    """A value the rule needs is unknown until the update."""


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    protect: bool = False
    retain_on_delete: bool = False
    provider: str = ""
    """The URN of the provider it is managed by, empty for the package's default provider."""
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """For each property, the URNs of the resources its value comes from."""
    dependencies: tuple[str, ...] = ()
    """The URNs of every resource it waits for: its `depends_on` and the resources its inputs
    come from (a dependency on a component stands for the component's resources)."""
    custom: bool | None = None
    """Whether a provider manages it (a cloud resource), not a component; None where the
    judge is not told (a policy pack)."""
    imported: bool | None = None
    """Whether the program adopts an existing resource (`import_`); None where the judge is
    not told (a policy pack)."""

    def get(self, *path: str | int, default: Any = None) -> Any:
        """The value at `path` in the props, `default` if absent; NotYetKnown if unknown."""
        node: Any = self.props
        for key in path:
            try:
                node = node[key]
            except UnknownValueError:
                raise NotYetKnown(".".join(map(str, path))) from None
            except (KeyError, IndexError, TypeError):
                return default
            if node is None:
                return default
        if isinstance(node, str) and node in _UNKNOWN_SENTINELS:
            raise NotYetKnown(".".join(map(str, path)))
        return node

    def known(self, *path: str | int, default: Any = None) -> Any:
        """The value at `path`, or None while it is unknown."""
        try:
            return self.get(*path, default=default)
        except NotYetKnown:
            return None

    def sets(self, *path: str | int) -> bool:
        """Whether the resource sets the value at `path`, known or not."""
        try:
            return self.get(*path) is not None
        except NotYetKnown:
            return True

    def known_part(self) -> Resource:
        """The resource with every unknown value left out: what is already certain of it."""
        return dataclasses.replace(self, props=_known_part(self.props))

    def shown(self, *path: str | int) -> str:
        """The value at `path` for a message: its repr, or that it is unknown."""
        try:
            return repr(self.get(*path))
        except NotYetKnown:
            return "a value left unknown"

    def items(self, *path: str) -> list[Any]:
        """The list at `path` (empty if absent), each element checked for unknowns."""
        value = self.get(*path, default=[])
        return [self.get(*path, index) for index in range(len(value))]

    @property
    def stack(self) -> str:
        return self.urn.split("::")[0].removeprefix("urn:pulumi:")


def _known_part(node: Any) -> Any:
    """`node` without its unknown values (None in their place in a list)."""
    if isinstance(node, str):
        return None if node in _UNKNOWN_SENTINELS else node
    if isinstance(node, Mapping):
        known = {}
        for key in list(node.keys()):
            try:
                value = node[key]
            except UnknownValueError:
                continue
            part = _known_part(value)
            if part is not None:
                known[key] = part
        return known
    if isinstance(node, (list, tuple)):
        items = []
        for index in range(len(node)):
            try:
                items.append(_known_part(node[index]))
            except UnknownValueError:
                items.append(None)
        return items
    return node
