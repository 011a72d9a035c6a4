"""`estate diff BASE.json HEAD.json`: what a change does to the estate, access first.

Both sides are offline plans. Access is read from the registered resources themselves
(grants, permissions, bindings, entitlements), so hand-written resources count too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .documents import EstateDocument
from .policies import Resource
from .policies.rules import (
    ENTITLEMENTS,
    GRANT,
    GRANTS,
    PERMISSIONS,
    WORKSPACE_BINDING,
    access_controls,
    granted,
)

SECURABLE_KEYS = ("catalog", "schema", "table", "volume", "model", "function",
                  "externalLocation", "storageCredential", "metastore")
PERMISSION_OBJECT_KEYS = ("directoryPath", "notebookPath", "workspaceFilePath", "authorization",
                          "registeredModelId", "clusterPolicyId", "jobId", "pipelineId",
                          "experimentId")
ENTITLEMENT_KEYS = ("workspaceAccess", "databricksSqlAccess", "allowClusterCreate",
                    "allowInstancePoolCreate")


@dataclass(frozen=True, order=True)
class Access:
    """One thing a principal may do: a privilege, a permission level, a binding, an entitlement."""

    principal: str
    kind: str
    on: str
    access: str


def _grants(resource: Resource) -> list[Access]:
    securable = next((f"{key} {resource.props[key]}" for key in SECURABLE_KEYS
                      if resource.props.get(key)), "unknown securable")
    return [Access(principal, "privilege", securable, privilege)
            for principal, privileges in granted(resource) for privilege in privileges]


def _permissions(resource: Resource) -> list[Access]:
    target = next((f"{key} {resource.props[key]}" for key in PERMISSION_OBJECT_KEYS
                   if resource.props.get(key)), resource.name)
    return [Access(principal, "permission", target, level)
            for _, principal, level in access_controls(resource)]


def _binding(resource: Resource) -> list[Access]:
    props = resource.props
    securable = props.get("securableName") or props.get("catalogName", "")
    return [Access(f"workspace {props.get('workspaceId', '')}", "binding",
                   f"{props.get('securableType', 'catalog')} {securable}",
                   props.get("bindingType", "BINDING_TYPE_READ_WRITE"))]


def _entitlements(resource: Resource) -> list[Access]:
    who = next((f"{key} {resource.props[key]}" for key in ("groupId", "servicePrincipalId",
                                                             "userId")
                if resource.props.get(key)), resource.name)
    return [Access(who, "entitlement", "workspace", key) for key in ENTITLEMENT_KEYS
            if resource.props.get(key) is True]


_ACCESS_READERS = {GRANTS: _grants, GRANT: _grants, PERMISSIONS: _permissions,
                   WORKSPACE_BINDING: _binding, ENTITLEMENTS: _entitlements}


def access_of(resources: list[Resource]) -> set[Access]:
    return {access for r in resources if r.type in _ACCESS_READERS
            for access in _ACCESS_READERS[r.type](r)}


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
        changes = {key: {"before": old.get(key), "after": new.get(key)}
                   for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)}
        if changes:
            result.changed.append({"urn": urn, "properties": changes})
    base_access, head_access = access_of(base.resources), access_of(head.resources)
    result.access_gained = sorted(head_access - base_access)
    result.access_lost = sorted(base_access - head_access)
    return result


def diff_json(result: EstateDiff, stack: str) -> str:
    return json.dumps({"stack": stack, **asdict(result)}, indent=2, sort_keys=True,
                      default=str) + "\n"


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _access_rows(accesses: list[Access]) -> list[str]:
    return [f"| `{a.principal}` | {a.kind} `{a.access}` | `{a.on}` |" for a in accesses]


def diff_markdown(result: EstateDiff, stack: str) -> str:
    lines = [f"## Estate diff: `{stack}`", ""]
    if result.empty:
        return "\n".join([*lines, "No changes.", ""])
    for title, accesses in (("Access gained", result.access_gained),
                            ("Access lost", result.access_lost)):
        if accesses:
            lines += [f"### {title}", "", "| principal | may now | on |" if title ==
                      "Access gained" else "| principal | may no longer | on |",
                      "| --- | --- | --- |", *_access_rows(accesses), ""]
    if not (result.access_gained or result.access_lost):
        lines += ["No access is gained or lost.", ""]
    lines += ["### Resources", ""]
    lines += [f"- added `{urn}`" for urn in result.added]
    lines += [f"- removed `{urn}`" for urn in result.removed]
    lines += [f"- renamed `{r['from']}` to `{r['to']}` (replaced unless aliased)"
              for r in result.renamed]
    for change in result.changed:
        lines.append(f"- changed `{change['urn']}`")
        lines += [f"  - `{key}`: {_short(values['before'])} → {_short(values['after'])}"
                  for key, values in change["properties"].items()]
    return "\n".join(lines) + "\n"
