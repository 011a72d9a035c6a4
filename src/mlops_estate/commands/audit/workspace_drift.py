"""The workspace against the declared estate: locked folders, tokens, the model registry,
Personal Compute and the workspace settings."""

from __future__ import annotations

from .acl import LiveAcl, acl_drift, implicit_notes, strongest
from .declared import Acl, DeclaredEstate
from .findings import Drift, Findings, Note
from .live import LiveState
from .workspace import Folder

DIRECTORY = "DIRECTORY"


def _acl(found: Findings, declared: DeclaredEstate, what: str, wanted: Acl, live: LiveAcl) -> None:
    found.drift += acl_drift(what, wanted, live, declared.label)
    found.implicit += implicit_notes(what, live)


def _folders(declared: DeclaredEstate, live: LiveState, found: Findings) -> None:
    for path, wanted in sorted(declared.folders.items()):
        folder: Folder | None = live.get("folder", path)
        if folder is None:
            continue
        if folder.object_type != DIRECTORY:
            found.drift.append(
                Drift("differs", f"folder {path}", f"a {folder.object_type}, declared a directory")
            )
        _acl(found, declared, f"folder {path}", wanted, folder.acl)


def _tokens(declared: DeclaredEstate, live: LiveState, found: Findings) -> None:
    if ("tokens",) not in live.facts:
        return
    acl: LiveAcl | None = live.get("tokens")
    managed = declared.outputs.workspace_settings.tokens.manage_permissions
    if acl is None:
        # Tokens do not exist: what the config declares with tokens off (the workspace
        # setting enableTokensConfig is compared below), and drift where it manages them.
        if declared.tokens_enabled and managed:
            _acl(found, declared, "token permissions", declared.token_usage, ())
        return
    if declared.tokens_enabled and not managed:
        found.exposure += [
            Note("may use personal access tokens", f"{declared.label(p, k)}: {level}")
            for (k, p), level in sorted(strongest(acl).items())
        ]
        found.implicit += implicit_notes("token permissions", acl)
    else:
        _acl(found, declared, "token permissions", declared.token_usage, acl)


def _personal_compute(declared: DeclaredEstate, live: LiveState, found: Findings) -> None:
    setting = live.get("personal compute setting")
    if setting is not None and setting != declared.personal_compute:
        found.drift.append(
            Drift(
                "differs",
                "the account's Personal Compute setting",
                f"{setting or 'unknown'} in this workspace, declared {declared.personal_compute}",
            )
        )
    if ("personal compute",) not in live.facts:
        return
    acl: LiveAcl | None = live.get("personal compute")
    what = "the Personal Compute policy"
    wanted = declared.personal_compute_users
    if acl is None:
        if wanted:
            _acl(found, declared, what, wanted, ())
        return
    if wanted is not None:
        _acl(found, declared, what, wanted, acl)
    if declared.environment != "prod":
        return
    # ON "grants all users in all workspaces access to the Personal Compute default policy"
    # (databricks-sdk settings.PersonalComputeMessageEnum): the access list decides nothing.
    users = (
        ["every user of the workspace (the setting is ON)"]
        if (setting or declared.personal_compute) == "ON"
        else [
            f"{declared.label(p, k)}: {level}" for (k, p), level in sorted(strongest(acl).items())
        ]
    )
    found.exposure += [Note("may use Personal Compute in Prod", who) for who in users or ["nobody"]]


def _conf(declared: DeclaredEstate, live: LiveState, found: Findings) -> None:
    conf = live.get("conf")
    if conf is None:
        return
    for key, value in sorted(declared.conf.items()):
        if str(conf.get(key)).lower() != value.lower():
            found.drift.append(
                Drift(
                    "differs", "workspace settings", f"{key} is {conf.get(key)}, declared {value}"
                )
            )


def workspace_drift(declared: DeclaredEstate, live: LiveState) -> Findings:
    found = Findings()
    _folders(declared, live, found)
    _tokens(declared, live, found)
    registry: LiveAcl | None = live.get("registry")
    if declared.registry is not None and registry is not None:
        _acl(found, declared, "workspace model registry", declared.registry, registry)
    _personal_compute(declared, live, found)
    _conf(declared, live, found)
    return found
