"""YAML read as the Pulumi CLI reads its project and stack files.

The CLI parses `Pulumi.yaml` and `Pulumi.<stack>.yaml` with Go's gopkg.in/yaml.v3, which
refuses what a lenient reader accepts:

- a key defined twice in one mapping: `mapping key "x" already defined at line N`
  (yaml.v3 decode.go, `d.mapping`);
- a document that expands mostly from aliases: "document contains excessive aliasing", once
  more than 100 decoded nodes come from aliases in a document of more than 1,000, at a ratio
  above 99% (up to 400,000 nodes) falling to 10% (4,000,000 nodes and more) (yaml.v3
  decode.go, `allowedAliasRatio`); an anchor that contains itself is refused too.

Here the document is composed into nodes first (aliases stay shared, nothing is expanded),
then walked the way yaml.v3 decodes it, counting nodes, so an alias bomb fails after about a
thousand nodes instead of filling memory. Keys must be strings: Pulumi hands config to
programs as JSON, whose keys are strings.
"""

from __future__ import annotations

from typing import Any

import yaml

_ALIAS_RATIO_LOW, _ALIAS_RATIO_HIGH = 400_000, 4_000_000
_STRING = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class StrictYamlError(ValueError):
    """A document the Pulumi CLI would refuse; the message gives the line."""


def _allowed_alias_ratio(decoded: int) -> float:
    if decoded <= _ALIAS_RATIO_LOW:
        return 0.99
    if decoded >= _ALIAS_RATIO_HIGH:
        return 0.10
    span = _ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW
    return 0.99 - 0.89 * (decoded - _ALIAS_RATIO_LOW) / span


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _check_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if key.tag == _MERGE:
            continue
        if not isinstance(key, yaml.ScalarNode) or key.tag != _STRING:
            raise StrictYamlError(f"line {_line(key)}: a mapping key must be a string")
        if key.value in seen:
            raise StrictYamlError(
                f'line {_line(key)}: mapping key "{key.value}" already defined at line '
                f"{seen[key.value]}"
            )
        seen[key.value] = _line(key)


def _walk(root: yaml.Node) -> None:
    """Visit every node as a decoder would, aliases expanded, counting as yaml.v3 counts."""
    decoded = aliased = 0
    first_seen: set[int] = set()
    # (node, inside an alias, the nodes on the path to it)
    stack: list[tuple[yaml.Node, bool, frozenset[int]]] = [(root, False, frozenset())]
    while stack:
        node, in_alias, path = stack.pop()
        if id(node) in path:
            raise StrictYamlError(f"line {_line(node)}: an anchor's value contains itself")
        in_alias = in_alias or id(node) in first_seen
        first_seen.add(id(node))
        decoded += 1
        aliased += in_alias
        if aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_alias_ratio(decoded):
            raise StrictYamlError(f"line {_line(node)}: document contains excessive aliasing")
        if isinstance(node, yaml.MappingNode):
            if not in_alias:
                _check_keys(node)
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            continue
        inner = path | {id(node)}
        stack.extend((child, in_alias, inner) for child in reversed(children))


def load_strict(text: str) -> Any:
    """The one document in `text`; StrictYamlError (or yaml.YAMLError) if the CLI refuses it."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _walk(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
