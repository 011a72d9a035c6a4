"""Workspace access lists as the Permissions API returns them, and their drift.

An entry is direct or inherited: "Objects in a folder inherit all permissions settings of that
folder" (learn.microsoft.com/azure/databricks/security/auth/access-control), and the API
reports each inherited level with `inherited: true` and the objects it comes from
(`inherited_from_object`, databricks-sdk iam.Permission). Inherited entries count like direct
ones. The `admins` group's entries are the platform's: "Workspace admins have the CAN MANAGE
permission on all objects in their workspace" (same page), and its CAN_MANAGE on tokens and on
the model registry root "cannot [be] revoke[d]" (learn.microsoft.com/azure/databricks/
security/auth/api-access-permissions); they are listed as implicit, out of the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from databricks.sdk.service.iam import ObjectPermissions

from ...vocabulary.workspace import ADMINS_GROUP
from .declared import Acl, Principal
from .findings import Drift, Note
from .live import UNKNOWN

# Stronger levels include weaker ones ("CAN READ < CAN RUN < CAN EDIT < CAN MANAGE" for
# folders, the registry's staging and production levels between edit and manage:
# learn.microsoft.com/azure/databricks/security/auth/access-control). A level the SDK does not
# know (UNKNOWN) ranks above all.
_RANK = {
    "CAN_VIEW": 1,
    "CAN_READ": 1,
    "CAN_VIEW_METADATA": 1,
    "CAN_QUERY": 2,
    "CAN_RUN": 2,
    "CAN_USE": 2,
    "CAN_ATTACH_TO": 2,
    "CAN_RESTART": 3,
    "CAN_EDIT": 3,
    "CAN_MANAGE_RUN": 4,
    "CAN_MANAGE_STAGING_VERSIONS": 4,
    "CAN_MANAGE_PRODUCTION_VERSIONS": 5,
    "CAN_MANAGE": 6,
    "IS_OWNER": 7,
}
_KINDS = (
    ("service_principal_name", "service_principal"),
    ("group_name", "group"),
    ("user_name", "user"),
)


def rank(level: str) -> int:
    return _RANK.get(level, 99)


@dataclass(frozen=True, order=True)
class AclEntry:
    kind: str
    """group, user or service_principal (named by application id)."""
    principal: str
    level: str
    inherited_from: str = ""
    """Empty for a direct entry; else the objects it is inherited from."""

    @property
    def principal_key(self) -> Principal:
        return (self.kind, self.principal)

    @property
    def implicit(self) -> bool:
        return self.kind == "group" and self.principal == ADMINS_GROUP


LiveAcl = tuple[AclEntry, ...]


def acl_entries(permissions: ObjectPermissions) -> LiveAcl:
    """Every entry of an access list, direct and inherited."""
    entries = []
    for control in permissions.access_control_list or []:
        kind, principal = next(
            ((kind, getattr(control, key)) for key, kind in _KINDS if getattr(control, key)),
            ("", ""),
        )
        if not principal:
            continue
        for permission in control.all_permissions or []:
            level = getattr(permission.permission_level, "value", None) or UNKNOWN
            source = ", ".join(permission.inherited_from_object or []) or "a parent"
            entries.append(AclEntry(kind, principal, level, source if permission.inherited else ""))
    return tuple(sorted(entries))


def _strongest(entries: list[AclEntry]) -> Acl:
    held: Acl = {}
    for entry in entries:
        key = entry.principal_key
        if key not in held or rank(entry.level) > rank(held[key]):
            held[key] = entry.level
    return held


def strongest(live: LiveAcl) -> Acl:
    """What each principal holds, direct or inherited, but the platform's admins."""
    return _strongest([e for e in live if not e.implicit])


def implicit_notes(what: str, live: LiveAcl) -> list[Note]:
    return [
        Note(
            what,
            f"group {e.principal}: {e.level}"
            + (f" (inherited from {e.inherited_from})" if e.inherited_from else ""),
        )
        for e in live
        if e.implicit
    ]


def acl_drift(
    what: str, declared: Acl, live: LiveAcl, label: Callable[[str, str], str]
) -> list[Drift]:
    """Direct entries against the declared list, both ways; an inherited entry is drift where
    it gives more than the declared list does."""
    direct = _strongest([e for e in live if not e.implicit and not e.inherited_from])
    drift = []
    for key in sorted(set(declared) | set(direct)):
        who = label(key[1], key[0])
        if key not in direct:
            drift.append(Drift("declared, not live", what, f"{who}: {declared[key]}"))
        elif key not in declared:
            drift.append(Drift("live, not declared", what, f"{who}: {direct[key]}"))
        elif declared[key] != direct[key]:
            drift.append(
                Drift("differs", what, f"{who}: declared {declared[key]}, live {direct[key]}")
            )
    for entry in live:
        if entry.implicit or not entry.inherited_from:
            continue
        key, source = entry.principal_key, f"inherited from {entry.inherited_from}"
        wanted = declared.get(key)
        if wanted is not None and rank(entry.level) <= rank(wanted):
            continue
        who = label(key[1], key[0])
        drift.append(
            Drift("live, not declared", what, f"{who}: {entry.level} ({source})")
            if wanted is None
            else Drift("differs", what, f"{who}: declared {wanted}, live {entry.level} ({source})")
        )
    return drift
