"""Unity Catalog against the declared estate: securables, bindings, schemas, effective grants,
and every securable of the metastore that reaches the stack's workspace."""

from __future__ import annotations

from ...vocabulary.unity_catalog import CATALOG_ISOLATED, READ_ONLY, READ_WRITE, STORAGE_ISOLATED
from .declared import DeclaredEstate
from .findings import Drift, Findings, Note
from .live import LiveState
from .unity_catalog import (
    LISTED_KINDS,
    PLATFORM_CATALOG_TYPES,
    READ_ONLY_CATALOG_TYPES,
    Securable,
)

BindingSet = frozenset[tuple[str, str]]  # (workspace id, binding type)


def _binding_text(workspace: str, binding_type: str) -> str:
    return f"workspace {workspace} {binding_type}"


def known_absent(declared: DeclaredEstate, live: LiveState, kind: str, name: str) -> bool:
    """Whether a listing that was read shows the securable does not exist."""
    if kind == "schema":
        schemas = live.get("schemas", name.split(".")[0])
        return schemas is not None and name not in schemas
    listing = live.get("listing", kind)
    return listing is not None and name not in listing


def _reach(securable: Securable, bindings: BindingSet | None, workspace: str) -> BindingSet:
    """How a securable reaches one workspace: an open one every workspace, read-write (a
    catalog made from a share, read-only); an isolated one through its bindings there ("the
    workspace bindings are only consulted when the securable's isolation_mode is set to
    ISOLATED", databricks-sdk catalog.WorkspaceBindingsAPI)."""
    if not securable.isolated:
        read_only = securable.catalog_type in READ_ONLY_CATALOG_TYPES
        return frozenset({(workspace, READ_ONLY if read_only else READ_WRITE)})
    return frozenset(b for b in bindings or () if b[0] == workspace)


def _owned(
    declared: DeclaredEstate,
    peers: tuple[DeclaredEstate, ...],
    securable: Securable,
    bindings: BindingSet | None,
    found: Findings,
) -> None:
    kind, name = securable.kind, securable.name
    what = f"{kind} {name}"
    expected_mode = CATALOG_ISOLATED if kind == "catalog" else STORAGE_ISOLATED
    if securable.isolation_mode != expected_mode:
        found.drift.append(
            Drift(
                "differs",
                what,
                f"isolation mode {securable.isolation_mode or 'unset'}, declared {expected_mode}",
            )
        )
    owner = declared.owners[(kind, name)]
    if securable.owner != owner:
        found.drift.append(
            Drift("differs", what, f"owner {securable.owner}, declared {declared.label(owner)}")
        )
    if bindings is None:
        return
    own = declared.bindings_of(kind, name)
    expected = own.union(*(peer.bindings_of(kind, name) for peer in peers))
    for workspace, binding_type in sorted((expected - own) & bindings):
        found.cross_stack.append(
            Note(
                f"bindings of {what}",
                f"{_binding_text(workspace, binding_type)}: declared by the "
                f"{_declarer(peers, kind, name, workspace)} stack, as this stack expects",
            )
        )
    unexpected = sorted(bindings - expected)
    promotion = [b for b in unexpected if b[1] == READ_ONLY and b[0] != declared.workspace_id]
    if (
        not peers
        and declared.environment == "uat"
        and (kind, name) == ("catalog", declared.promotion_source)
        and len(promotion) == 1
    ):
        unexpected.remove(promotion[0])
        found.cross_stack.append(
            Note(
                f"bindings of {what}",
                f"{_binding_text(*promotion[0])}: taken for the prod stack's promotion binding "
                f"(prod binds {name} read-only into its workspace; this stack's promotion "
                f"outputs name {name}); audit both stacks together to check the workspace",
            )
        )
    found.drift += [
        Drift("live, not declared", f"bindings of {what}", _binding_text(*b)) for b in unexpected
    ]
    found.drift += [
        Drift("declared, not live", f"bindings of {what}", _binding_text(*b))
        for b in sorted(own - bindings)
    ]


def _declarer(peers: tuple[DeclaredEstate, ...], kind: str, name: str, workspace: str) -> str:
    return next(
        (p.environment for p in peers if any(w == workspace for w, _ in p.bindings_of(kind, name))),
        "other",
    )


def _reaching(
    declared: DeclaredEstate,
    peers: tuple[DeclaredEstate, ...],
    securable: Securable,
    reach: BindingSet,
    found: Findings,
) -> None:
    """A securable of another stack, or of nobody's, that reaches this stack's workspace."""
    kind, name = securable.kind, securable.name
    own = {(w, t) for w, t in declared.bindings_of(kind, name) if w == declared.workspace_id}
    owner = next((p for p in peers if (kind, name) in p.owners), None)
    what = f"bindings of {kind} {name}"
    how = "" if securable.isolated else f" (isolation mode {securable.isolation_mode})"
    # Read-write reach is access the estate does not declare; read-only reach of another
    # stack's securable is a path between environments that stack never made. Read-only reach
    # of anyone else's is listed among what reaches the workspace.
    found.drift += [
        Drift("live, not declared", what, f"{_binding_text(workspace, binding_type)}{how}")
        for workspace, binding_type in sorted(reach - own)
        if own or binding_type != READ_ONLY or owner is not None
    ]
    found.drift += [
        Drift("declared, not live", what, _binding_text(*b)) for b in sorted(own - reach)
    ]
    for binding in sorted(own & reach):
        found.cross_stack.append(
            Note(
                what,
                f"{_binding_text(*binding)}: declared by this stack"
                + (f"; the securable is the {owner.environment} stack's" if owner else ""),
            )
        )


def securable_drift(
    declared: DeclaredEstate, peers: tuple[DeclaredEstate, ...], live: LiveState
) -> Findings:
    found = Findings()
    for kind in LISTED_KINDS:
        listing: dict[str, Securable] | None = live.get("listing", kind)
        if listing is None:
            continue
        for name, securable in sorted(listing.items()):
            bindings = live.get("bindings", kind, name)
            if kind == "catalog" and securable.catalog_type in PLATFORM_CATALOG_TYPES:
                found.implicit.append(
                    Note("platform catalog", f"{name} ({securable.catalog_type})")
                )
                continue
            if securable.isolated and bindings is None and (kind, name) not in declared.owners:
                continue  # its bindings could not be read: listed as unreadable
            reach = _reach(securable, bindings, declared.workspace_id)
            if (kind, name) in declared.owners:
                _owned(declared, peers, securable, bindings, found)
            else:
                _reaching(declared, peers, securable, reach, found)
            found.exposure += [
                Note(f"{kind.replace('_', ' ')}s reaching this workspace", f"{name}: {how}")
                for _, how in sorted(reach)
            ]
        found.drift += [
            Drift("declared, not live", f"{kind} {name}", "not in the metastore")
            for declared_kind, name in sorted(declared.securables)
            if declared_kind == kind and name not in listing
        ]
    return found


def schema_drift(declared: DeclaredEstate, live: LiveState) -> Findings:
    found = Findings()
    for (kind, name), owner in sorted(declared.owners.items()):
        if kind != "schema":
            continue
        schemas = live.get("schemas", name.split(".")[0])
        if schemas is None:
            continue
        if name not in schemas:
            found.drift.append(Drift("declared, not live", f"schema {name}", "does not exist"))
        elif schemas[name] != owner:
            found.drift.append(
                Drift(
                    "differs",
                    f"schema {name}",
                    f"owner {schemas[name]}, declared {declared.label(owner)}",
                )
            )
    return found


def grant_drift(declared: DeclaredEstate, live: LiveState) -> Findings:
    """Direct grants against the access matrix, both ways; inherited privileges where they
    give more than the securable and its catalog declare."""
    found = Findings()
    for (kind, name), granted in sorted(declared.grants.items()):
        held = live.get("grants", kind, name)
        if held is None:
            continue
        what = f"grants on {kind} {name}"
        effective = declared.effective_grants(kind, name)
        for principal in sorted(set(granted) | set(held)):
            direct = {p for p, source in held.get(principal, {}).items() if not source}
            wanted = granted.get(principal, frozenset())
            who = declared.label(principal)
            if direct - wanted:
                found.drift.append(
                    Drift(
                        "live, not declared", what, f"{who}: {', '.join(sorted(direct - wanted))}"
                    )
                )
            if wanted - direct:
                found.drift.append(
                    Drift(
                        "declared, not live", what, f"{who}: {', '.join(sorted(wanted - direct))}"
                    )
                )
            found.drift += [
                Drift(
                    "live, not declared",
                    what,
                    f"{who}: {privilege} (inherited from {source})",
                )
                for privilege, source in sorted(held.get(principal, {}).items())
                if source and privilege not in effective.get(principal, frozenset())
            ]
    return found
