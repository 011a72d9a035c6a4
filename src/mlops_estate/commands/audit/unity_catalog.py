"""The Unity Catalog reads: every catalog, storage credential and external location of the
metastore with its bindings, the estate's schemas, and the effective grants on each securable
the stack declares.

Nothing lists "what is bound to workspace X" (databricks-sdk 0.162 has no such call): the
audit lists each kind with `include_unbound=True` ("Whether to include catalogs not bound to
the workspace", catalog.CatalogsAPI.list) and reads the bindings of every isolated one. Every
list pages (`max_results=0`, "a page may contain zero results while still providing a
next_page_token", same docstring); the SDK follows the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.catalog import Privilege, SecurableType

from ...vocabulary.unity_catalog import CATALOG_ISOLATED, STORAGE_ISOLATED
from .declared import DeclaredEstate
from .live import UNKNOWN, Read

LISTED_KINDS = ("catalog", "storage_credential", "external_location")
# Catalogs of the platform itself: "SYSTEM_CATALOG", "INTERNAL_CATALOG" (databricks-sdk
# catalog.CatalogType); listed as implicit. A catalog made from a share is read-only: "shared
# data becomes available for read access in your workspace"
# (learn.microsoft.com/azure/databricks/delta-sharing/read-data-databricks).
PLATFORM_CATALOG_TYPES = frozenset({"SYSTEM_CATALOG", "INTERNAL_CATALOG"})
READ_ONLY_CATALOG_TYPES = frozenset({"DELTASHARING_CATALOG"})
# The least each read needs (the SDK's docstrings, quoted in the README's audit section).
METASTORE_ADMIN = "a metastore admin, or the owner of the securable"

# The values databricks-sdk names; it parses any other as None ("Unknown enum values are
# returned as None", `_internal._enum`), and so does the audit's reading of effective grants.
KNOWN_PRIVILEGES = frozenset(p.value for p in Privilege)
KNOWN_SECURABLE_TYPES = frozenset(t.value for t in SecurableType)

# privilege -> where it comes from: "" for a direct grant, else "CATALOG mlops_uat".
Privileges = dict[str, str]
EffectiveGrants = dict[str, Privileges]  # principal -> its privileges


@dataclass(frozen=True)
class Securable:
    kind: str
    name: str
    isolation_mode: str
    owner: str
    catalog_type: str = ""

    @property
    def isolated(self) -> bool:
        return self.isolation_mode in (CATALOG_ISOLATED, STORAGE_ISOLATED)


def _value(enum_or_none: object) -> str:
    return getattr(enum_or_none, "value", None) or ""


def _listing(client: WorkspaceClient, kind: str) -> dict[str, Securable]:
    api = {
        "catalog": client.catalogs,
        "storage_credential": client.storage_credentials,
        "external_location": client.external_locations,
    }[kind]
    return {
        info.name: Securable(
            kind,
            info.name,
            _value(info.isolation_mode),
            info.owner or "",
            _value(getattr(info, "catalog_type", None)),
        )
        for info in api.list(include_unbound=True)
        if info.name
    }


def _bindings(client: WorkspaceClient, kind: str, name: str) -> frozenset[tuple[str, str]]:
    """(workspace id, binding type); a type the SDK does not know is UNKNOWN, never dropped."""
    return frozenset(
        (str(b.workspace_id), _value(b.binding_type) or UNKNOWN)
        for b in client.workspace_bindings.get_bindings(kind, name)
    )


def _schema_owners(client: WorkspaceClient, catalog: str) -> dict[str, str]:
    return {
        s.full_name: s.owner or "" for s in client.schemas.list(catalog_name=catalog) if s.full_name
    }


def read_effective_grants(client: WorkspaceClient, kind: str, name: str) -> EffectiveGrants:
    """Direct and inherited privileges of every principal on one securable.

    `grants.get_effective` returns both: `inherited_from_type` and `inherited_from_name` are
    "omitted when privilege is not inherited" (catalog.EffectivePrivilege). It does not follow
    pages in databricks-sdk 0.162, and "Unpaginated calls will be deprecated soon" (its
    docstring), so the audit asks for pages (`max_results=0`) and follows them itself.

    These pages are most of an audit's calls. Each is the request `GrantsAPI.get_effective`
    sends, through the same `ApiClient.do`, read as `EffectivePermissionsList.from_dict` reads
    it but without building its dataclasses, whose enum lookups cost about a sixth of the CPU
    of the call that fetched the page: a privilege the SDK does not name is UNKNOWN.

    A privilege held both directly and through a parent is listed once for each; the direct
    grant is kept, so that drift in direct grants is never hidden behind an inherited one. A
    privilege that names a parent, of whatever type, is inherited, never taken as direct.
    """
    path = f"/api/2.1/unity-catalog/effective-permissions/{kind}/{name}"
    headers = {"Accept": "application/json"}
    if client.config.workspace_id:
        headers["X-Databricks-Workspace-Id"] = client.config.workspace_id
    held: EffectiveGrants = {}
    query: dict[str, int | str] = {"max_results": 0}
    while True:
        page = client.api_client.do("GET", path, query=query, headers=headers)
        for assignment in page.get("privilege_assignments") or []:
            privileges = held.setdefault(assignment.get("principal") or "", {})
            for privilege in assignment.get("privileges") or []:
                value = privilege.get("privilege")
                key = value if value in KNOWN_PRIVILEGES else UNKNOWN
                source = _parent(privilege)
                if privileges.get(key) != "":
                    privileges[key] = source
        token = page.get("next_page_token")
        if not token:
            return held
        query = {"max_results": 0, "page_token": token}


def _parent(privilege: dict) -> str:
    """Where an effective privilege comes from: "" when direct, else "TYPE name"."""
    kind, name = privilege.get("inherited_from_type"), privilege.get("inherited_from_name")
    if not kind and not name:
        return ""
    return f"{kind if kind in KNOWN_SECURABLE_TYPES else UNKNOWN} {name or UNKNOWN}"


def catalog_reads(client: WorkspaceClient, declared: DeclaredEstate) -> list[Read]:
    """The metastore's securables and their bindings; the stack's schemas and grants."""

    def bindings_of(listing: dict[str, Securable]) -> list[Read]:
        return [
            Read(
                ("bindings", s.kind, s.name),
                f"bindings of {s.kind} {s.name}",
                lambda s=s: _bindings(client, s.kind, s.name),
                rights=METASTORE_ADMIN,
            )
            for s in listing.values()
            if s.isolated or (s.kind, s.name) in declared.securables
        ]

    reads = [
        Read(
            ("listing", kind),
            f"every {kind.replace('_', ' ')} of the metastore",
            lambda k=kind: _listing(client, k),
            then=bindings_of,
            rights="a metastore admin (others see only their own)",
        )
        for kind in LISTED_KINDS
    ]
    reads += [
        Read(
            ("schemas", name),
            f"schemas of catalog {name}",
            lambda n=name: _schema_owners(client, n),
            rights="a metastore admin, or the owner of the catalog",
        )
        for kind, name in sorted(declared.owners)
        if kind == "catalog"
    ]
    reads += [
        Read(
            ("grants", kind, name),
            f"effective grants on {kind} {name}",
            lambda k=kind, n=name: read_effective_grants(client, k, n),
            rights=METASTORE_ADMIN,
        )
        for kind, name in sorted(declared.grants)
    ]
    return reads
