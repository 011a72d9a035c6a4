"""What a plan records of each resource the program registered, and of each lookup it made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy.deserialize import deserialize_properties

from ...rules.resource import Resource


@dataclass(frozen=True)
class PlannedResource:
    urn: str
    type: str
    name: str
    parent: str
    provider: str
    protect: bool
    retain_on_delete: bool
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    """What the provider would compute (ids, URLs, principal ids), faked from the URN."""
    aliases: list[dict[str, Any]]
    dependencies: list[str]
    """Every resource this one waits for: explicit `depends_on` and the resources its inputs
    come from, as URNs."""
    property_dependencies: dict[str, list[str]]
    """For each input, the resources its value comes from."""
    import_id: str = ""
    """The id of an existing resource the program adopts (`import_`), if any."""

    def as_resource(self) -> Resource:
        """What a policy sees during a preview: the inputs, and the outputs known so far."""
        return Resource(
            urn=self.urn,
            type=self.type,
            name=self.name,
            # The engine shows a policy secret values unwrapped; the plan records them sealed.
            props=deserialize_properties(_state(self.inputs, self.outputs)),
            protect=self.protect,
            retain_on_delete=self.retain_on_delete,
            provider=self.provider,
            property_dependencies={
                key: tuple(urns) for key, urns in self.property_dependencies.items()
            },
            dependencies=tuple(self.dependencies),
            custom=self.custom,
            imported=bool(self.import_id),
        )


def _state(inputs: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs, with what the provider computes filled in at every level: an identity
    block the program declares as `{"type": "SystemAssigned"}` gains its `principalId`."""
    state = {**outputs, **inputs}
    for key, computed in outputs.items():
        if isinstance(computed, dict) and isinstance(inputs.get(key), dict):
            state[key] = _state(inputs[key], computed)
    return state


@dataclass(frozen=True)
class Lookup:
    """An invoke the program made (such as `get_group`), with what the mock answered."""

    token: str
    args: dict[str, Any]
    result: dict[str, Any]
