"""Reading the live workspace with databricks-sdk: one read per fact, concurrently.

Every read is a `Read` with a label; a failed read (403, 404, 429 after the SDK's retries,
5xx, a timeout) is kept with what went wrong, never dropped, so the audit fails closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import DatabricksError

from ...vocabulary.workspace import REGISTRY_ROOT
from .declared import EFFECTIVE_TYPES, Acl, DeclaredEstate

CONF_KEYS_SEPARATOR = ","


@dataclass(frozen=True)
class Read:
    key: tuple[str, ...]
    what: str
    fetch: Callable[[], Any]


@dataclass
class LiveState:
    facts: dict[tuple[str, ...], Any] = field(default_factory=dict)
    unreadable: dict[tuple[str, ...], str] = field(default_factory=dict)


def _value(enum_or_str: Any) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


def _securable(client: WorkspaceClient, kind: str, name: str) -> dict[str, str]:
    api = {
        "catalog": client.catalogs,
        "storage_credential": client.storage_credentials,
        "external_location": client.external_locations,
    }[kind]
    info = api.get(name)
    return {"isolation_mode": _value(info.isolation_mode) or "", "owner": info.owner or ""}


def _bindings(client: WorkspaceClient, kind: str, name: str) -> list[tuple[str, str]]:
    return sorted(
        (str(b.workspace_id), _value(b.binding_type))
        for b in client.workspace_bindings.get_bindings(kind, name)
    )


def _grants(client: WorkspaceClient, kind: str, name: str) -> dict[str, frozenset[str]]:
    response = client.grants.get(kind, name)
    return {
        a.principal: frozenset(_value(p) for p in a.privileges or [])
        for a in response.privilege_assignments or []
    }


def _effective(client: WorkspaceClient, kind: str, name: str) -> dict[str, frozenset[str]]:
    response = client.grants.get_effective(kind, name)
    return {
        a.principal: frozenset(_value(p.privilege) for p in a.privileges or [])
        for a in response.privilege_assignments or []
    }


def _acl(client: WorkspaceClient, object_type: str, object_id: str) -> Acl:
    """Direct (not inherited) permissions of a workspace object."""
    acl: Acl = {}
    for entry in client.permissions.get(object_type, object_id).access_control_list or []:
        for kind in ("service_principal_name", "group_name", "user_name"):
            principal = getattr(entry, kind)
            if not principal:
                continue
            for permission in entry.all_permissions or []:
                if not permission.inherited:
                    acl[
                        (
                            "service_principal"
                            if kind == "service_principal_name"
                            else "user"
                            if kind == "user_name"
                            else "group",
                            principal,
                        )
                    ] = _value(permission.permission_level)
    return acl


def _folder(client: WorkspaceClient, path: str) -> Acl:
    status = client.workspace.get_status(path)
    return _acl(client, "directories", str(status.object_id))


def _entitlements(client: WorkspaceClient, group: str) -> frozenset[str]:
    found = list(
        client.groups.list(
            filter=f'displayName eq "{group}"', attributes="displayName,entitlements"
        )
    )
    if not found:
        raise LookupError(f"group {group!r} is not in the workspace")
    return frozenset(e.value for e in found[0].entitlements or [] if e.value)


def reads(client: WorkspaceClient, declared: DeclaredEstate) -> list[Read]:
    """Every read the audit makes: linear in the number of securables and folders."""
    planned: list[Read] = []
    for kind, name in declared.binding_securables:
        if (kind, name) in declared.owners:
            planned.append(
                Read(
                    ("securable", kind, name),
                    f"{kind} {name}",
                    lambda k=kind, n=name: _securable(client, k, n),
                )
            )
        planned.append(
            Read(
                ("bindings", kind, name),
                f"bindings of {kind} {name}",
                lambda k=kind, n=name: _bindings(client, k, n),
            )
        )
    for kind, name in sorted(declared.grants):
        planned.append(
            Read(
                ("grants", kind, name),
                f"grants on {kind} {name}",
                lambda k=kind, n=name: _grants(client, k, n),
            )
        )
        if kind in EFFECTIVE_TYPES:
            planned.append(
                Read(
                    ("effective", kind, name),
                    f"effective grants on {kind} {name}",
                    lambda k=kind, n=name: _effective(client, k, n),
                )
            )
    for path in sorted(declared.folders):
        planned.append(
            Read(
                ("folder", path), f"access list of folder {path}", lambda p=path: _folder(client, p)
            )
        )
    planned.append(
        Read(("tokens",), "token permissions", lambda: _acl(client, "authorization", "tokens"))
    )
    if declared.registry:
        planned.append(
            Read(
                ("registry",),
                "workspace model registry permissions",
                lambda: _acl(client, "registered-models", REGISTRY_ROOT),
            )
        )
    for group in sorted(declared.personas):
        planned.append(
            Read(
                ("entitlements", group),
                f"entitlements of group {group}",
                lambda g=group: _entitlements(client, g),
            )
        )
    planned.append(
        Read(
            ("conf",),
            "workspace settings",
            lambda: client.workspace_conf.get_status(
                keys=CONF_KEYS_SEPARATOR.join(sorted(declared.conf))
            ),
        )
    )
    return planned


def _reason(error: Exception) -> str:
    if isinstance(error, DatabricksError):
        code = getattr(error, "error_code", None) or type(error).__name__
        return f"{code}: {error}".split(". Config:")[0]
    return f"{type(error).__name__}: {error}"


def read_all(
    planned: Iterable[Read], workers: int, on_done: Callable[[Read], None] | None = None
) -> LiveState:
    """Run the reads on a bounded pool; the SDK retries 429 and 503 within its timeout."""
    state = LiveState()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(read.fetch): read for read in planned}
        for future in as_completed(futures):
            read = futures[future]
            try:
                state.facts[read.key] = future.result()
            except Exception as error:  # every failure is reported; the audit fails closed
                state.unreadable[read.key] = f"{read.what}: {_reason(error)}"
            if on_done:
                on_done(read)
    return state
