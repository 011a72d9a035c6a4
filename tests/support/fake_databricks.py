"""A local server that answers the Databricks REST API endpoints the audit reads, as the real
API answers them (research notes: databricks-sdk 0.162's parsing and paging, and the
platform's own entries), never as the audit would like.

- A metastore is shared by every workspace assigned to it; each workspace serves its own view:
  a catalog listing shows the catalogs bound to that workspace unless `include_unbound` is
  asked (catalog.CatalogsAPI.list).
- Lists page: `max_results=0` gives a server-sized page, and a page "may contain zero results
  while still providing a next_page_token" (same docstring): every paged answer here starts
  with such an empty page. SCIM pages by `startIndex` and `count`, and the SDK stops at the
  first empty page (iam.GroupsAPI.list), so SCIM never sends one mid-list.
- The `admins` group holds CAN_MANAGE on /authorization/tokens and /registered-models/root as a
  direct entry nothing removes (terraform-provider-databricks exporter/test-data/
  get-tokens-permissions.json; permission_definitions.go `update.AddAdmin`), and inherits
  CAN_MANAGE on every folder from the root, written "/directories/" (TF exporter/test-data/
  get-directory-permissions.json), and CAN_USE on every cluster policy from
  "/cluster-policies/cluster-policies" (TF get-cluster-policy-permissions.json).
- Entries set on a folder are inherited by the folders under it, `inherited: true` with
  `inherited_from_object` naming the folder ("Objects in a folder inherit all permissions
  settings of that folder", learn.microsoft.com/azure/databricks/security/auth/access-control).
- Token permissions do not exist while personal access tokens are off or none exists:
  RESOURCE_DOES_NOT_EXIST "tokens tokens does not exist" (TF#1122).
- Enum values are spelled as the SDK parses them (BINDING_TYPE_READ_ONLY, ISOLATION_MODE_...,
  SecurableType CATALOG in `inherited_from_type`); service principals are named by
  application id; object types are those the API returns (tokens, directory, registered-model,
  cluster-policy).
- Errors have the API's shapes: {"error_code", "message"}, and SCIM's
  {"schemas", "detail", "status"} on SCIM paths (databricks-sdk errors/deserializer.py).

`FakeMetastore.matching` and `FakeWorkspace.matching` build the live state of a freshly
deployed estate from its stack outputs, so a test changes only what it wants to drift.
"""

from __future__ import annotations

import itertools
import json
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

ERROR_CODES = {
    400: "INVALID_PARAMETER_VALUE",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    503: "TEMPORARILY_UNAVAILABLE",
}
ISOLATED, OPEN = "ISOLATED", "OPEN"
STORAGE_ISOLATED = "ISOLATION_MODE_ISOLATED"
READ_WRITE, READ_ONLY = "BINDING_TYPE_READ_WRITE", "BINDING_TYPE_READ_ONLY"
SCIM_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
# The request path segment -> the `object_type` the Permissions API answers with.
OBJECT_TYPES = {
    "authorization": "tokens",
    "directories": "directory",
    "registered-models": "registered-model",
    "cluster-policies": "cluster-policy",
}
PERSONAL_COMPUTE_POLICY_ID = "001F8C2D3E4A5B6C"
SECURABLE_KINDS = ("catalog", "schema", "storage_credential", "external_location")
_ids = itertools.count(4_000_000_000_001)


def new_id() -> str:
    """A SCIM id, as Databricks gives them: a long number, as a string."""
    return str(next(_ids))


@dataclass
class Fault:
    """Answers requests whose path contains `path` with `status`, or after `delay` seconds."""

    path: str
    status: int | None = None
    delay: float = 0.0
    location: str = ""
    """A redirect's target (with a 3xx status)."""


@dataclass
class FakeMetastore:
    """Unity Catalog: securables, bindings and grants, shared by the workspaces."""

    catalogs: dict[str, dict[str, Any]] = field(default_factory=dict)
    storage_credentials: dict[str, dict[str, Any]] = field(default_factory=dict)
    external_locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    bindings: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    grants: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    page_size: int = 2
    """The server's page size for `max_results=0` (principals, for effective permissions)."""

    def store(self, kind: str) -> dict[str, dict[str, Any]]:
        return {
            "catalog": self.catalogs,
            "storage_credential": self.storage_credentials,
            "external_location": self.external_locations,
            "schema": self.schemas,
        }[kind]

    def add_catalog(
        self, name: str, owner: str, isolation: str = ISOLATED, catalog_type: str = ""
    ) -> None:
        self.catalogs[name] = {
            "name": name,
            "full_name": name,
            "owner": owner,
            "isolation_mode": isolation,
            "catalog_type": catalog_type or "MANAGED_CATALOG",
            "securable_type": "CATALOG",
        }
        self.grants.setdefault(("catalog", name), {})

    def bind(self, kind: str, name: str, workspace_id: str, binding_type: str) -> None:
        entry = {"workspace_id": int(workspace_id), "binding_type": binding_type}
        bindings = self.bindings.setdefault((kind, name), [])
        if entry not in bindings:
            bindings.append(entry)

    @classmethod
    def matching(cls, *outputs: dict[str, Any]) -> FakeMetastore:
        """The metastore after `pulumi up` of every stack given, with the platform's catalogs."""
        metastore = cls()
        # Every metastore holds the platform's `system` catalog; many hold `samples`, a
        # catalog made from a Databricks share.
        metastore.add_catalog("system", "System user", OPEN, "SYSTEM_CATALOG")
        metastore.add_catalog("samples", "System user", OPEN, "DELTASHARING_CATALOG")
        for stack in outputs:
            names = {role: p["name"] for role, p in stack["principals"].items()}
            for row in stack["owners"]:
                kind, name, owner = row["securable_type"], row["securable"], names[row["role"]]
                if kind == "catalog":
                    metastore.add_catalog(name, owner)
                elif kind == "schema":
                    catalog, schema = name.split(".", 1)
                    metastore.schemas[name] = {
                        "name": schema,
                        "catalog_name": catalog,
                        "full_name": name,
                        "owner": owner,
                    }
                else:
                    metastore.store(kind)[name] = {
                        "name": name,
                        "owner": owner,
                        "isolation_mode": STORAGE_ISOLATED,
                    }
                metastore.grants.setdefault((kind, name), {})
            for b in stack["bindings"]:
                metastore.bind(
                    b["securable_type"], b["securable"], b["workspace_id"], b["binding_type"]
                )
            for row in stack["access_matrix"]:
                metastore.grants.setdefault((row["securable_type"], row["securable"]), {})[
                    names[row["role"]]
                ] = list(row["privileges"])
        return metastore

    def bound_to(self, kind: str, name: str, workspace_id: str) -> bool:
        item = self.store(kind)[name]
        return item["isolation_mode"] not in (ISOLATED, STORAGE_ISOLATED) or any(
            str(b["workspace_id"]) == workspace_id for b in self.bindings.get((kind, name), [])
        )

    def effective(self, kind: str, name: str) -> dict[str, list[dict[str, str]]]:
        """Direct privileges, and for a schema those its catalog passes down, marked as
        inherited (catalog.EffectivePrivilege; metastore grants are not inherited)."""
        sources = [(kind, name)] + ([("catalog", name.split(".")[0])] if kind == "schema" else [])
        held: dict[str, list[dict[str, str]]] = {}
        for source_kind, source in sources:
            for principal, privileges in sorted(self.grants.get((source_kind, source), {}).items()):
                for privilege in privileges:
                    entry = {"privilege": privilege}
                    if (source_kind, source) != (kind, name):
                        entry.update(
                            inherited_from_type=source_kind.upper(), inherited_from_name=source
                        )
                    held.setdefault(principal, []).append(entry)
        return held


@dataclass
class FakeGroup:
    id: str
    entitlements: set[str] = field(default_factory=set)
    members: list[dict[str, str]] = field(default_factory=list)


@dataclass
class FakeServicePrincipal:
    id: str
    display_name: str
    entitlements: set[str] = field(default_factory=set)


@dataclass
class FakeWorkspace:
    metastore: FakeMetastore
    workspace_id: str
    hostname: str = ""
    directories: dict[str, int] = field(default_factory=lambda: {"/": 0})
    object_types: dict[str, str] = field(default_factory=dict)
    """Paths whose object is not a DIRECTORY (workspace.ObjectType), e.g. a REPO."""
    acls: dict[tuple[str, str], dict[tuple[str, str], str]] = field(default_factory=dict)
    """Direct entries set on objects: (path segment, object id) -> (key, principal) -> level."""
    groups: dict[str, FakeGroup] = field(default_factory=dict)
    service_principals: dict[str, FakeServicePrincipal] = field(default_factory=dict)
    secrets: dict[str, list[str]] = field(default_factory=dict)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    conf: dict[str, str] = field(default_factory=dict)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    personal_compute: str = "ON"
    faults: list[Fault] = field(default_factory=list)
    latency: float = 0.0
    calls: int = 0
    credentialed: list[str] = field(default_factory=list)
    """The paths of the requests that carried an Authorization header."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- building a deployed workspace ---------------------------------------------------

    @classmethod
    def matching(
        cls, outputs: dict[str, Any], metastore: FakeMetastore | None = None
    ) -> FakeWorkspace:
        """The workspace of one stack right after `pulumi up`, run by the stack's runner."""
        workspace = cls(
            metastore or FakeMetastore.matching(outputs),
            outputs["workspace"]["id"],
            outputs["workspace"]["host"].removeprefix("https://"),
        )
        principals = outputs["principals"]
        names = {role: p["name"] for role, p in principals.items()}
        runner, deployer = names["runner"], names["deployer"]
        settings = outputs["workspace_settings"]
        for app_id, display in ((runner, "platform runner"), (deployer, "deployer")):
            workspace.service_principals[app_id] = FakeServicePrincipal(new_id(), display)
        users = scim(settings["users_group_entitlements"])
        workspace.groups["users"] = FakeGroup(new_id(), set(users))
        # The identity that created the workspace administers it.
        workspace.groups["admins"] = FakeGroup(new_id())
        workspace.add_admin(runner)
        workspace.assign("service_principal_name", runner, "ADMIN")
        # Entitlements are set on each principal; its members also hold the users group's.
        for persona in outputs["personas"]:
            workspace.groups[persona["group"]] = FakeGroup(
                new_id(), scim(persona["entitlements"]) - users
            )
            workspace.assign("group_name", persona["group"], *persona["permissions"])
        workspace.service_principals[deployer].entitlements = (
            scim(outputs["deployer"]["entitlements"]) - users
        )
        workspace.assign("service_principal_name", deployer, "USER")
        for path, folder in sorted(outputs["folders"].items()):
            object_id = workspace.mkdirs(path)
            workspace.acls[("directories", object_id)] = access(folder["access"], principals)
        if settings["model_registry"]:
            # The provider writes the runner in, with CAN_MANAGE (permission_definitions.go,
            # registered-models: `update.AddCurrentUserAsManage`).
            workspace.acls[("registered-models", "root")] = {
                **access(settings["model_registry"], principals),
                ("service_principal_name", runner): "CAN_MANAGE",
            }
        workspace.conf = dict(settings["workspace_conf"])
        workspace.personal_compute = settings["personal_compute"]
        builtin = settings["cluster_policies"].get("builtin_personal_compute")
        workspace.policies[PERSONAL_COMPUTE_POLICY_ID] = {
            "policy_id": PERSONAL_COMPUTE_POLICY_ID,
            "name": "Personal Compute",
            "policy_family_id": "personal-vm",
            "is_default": True,
        }
        # Databricks gives every user CAN_USE; where delegated, the estate's list replaces it.
        workspace.acls[("cluster-policies", PERSONAL_COMPUTE_POLICY_ID)] = (
            access(builtin, principals)
            if builtin is not None
            else {("group_name", "users"): "CAN_USE"}
        )
        for name in settings["cluster_policies"]:
            if name != "builtin_personal_compute":
                policy_id = f"E{abs(hash(name)) % 10**14:014d}"
                workspace.policies[policy_id] = {
                    "policy_id": policy_id,
                    "name": f"mlops-{outputs['environment']}-{name.replace('_', '-')}",
                    "policy_family_id": "personal-vm" if name == "personal_compute" else None,
                }
        return workspace

    def mkdirs(self, path: str) -> str:
        """Create a folder and its parents; its object id."""
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/" + "/".join(parts[:depth])
            self.directories.setdefault(sub, 1_000_000 + len(self.directories))
        return str(self.directories[path])

    def add_admin(self, application_id: str) -> None:
        sp = self.service_principals[application_id]
        self.groups["admins"].members.append(
            {"value": sp.id, "display": sp.display_name, "$ref": f"ServicePrincipals/{sp.id}"}
        )

    def assign(self, key: str, name: str, *permissions: str) -> None:
        self.assignments.append(
            {
                "principal": {"principal_id": int(new_id()), key: name, "display_name": name},
                "permissions": list(permissions),
            }
        )

    # -- answering -----------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        routes: list[tuple[str, Callable[..., tuple[int, Any]]]] = [
            (
                r"/api/2\.1/unity-catalog/(?P<plural>catalogs|storage-credentials|external-locations)",
                lambda plural: self._listing(plural, query),
            ),
            (r"/api/2\.1/unity-catalog/schemas", lambda: self._schemas(query)),
            (
                r"/api/2\.1/unity-catalog/bindings/(?P<kind>[^/]+)/(?P<name>[^/]+)",
                lambda kind, name: self._bindings(kind, name, query),
            ),
            (
                r"/api/2\.1/unity-catalog/effective-permissions/(?P<kind>[^/]+)/(?P<name>[^/]+)",
                lambda kind, name: self._effective(kind, name, query),
            ),
            (r"/api/2\.0/workspace/get-status", lambda: self._status(query["path"][0])),
            (r"/api/2\.0/permissions/(?P<kind>[^/]+)/(?P<object_id>[^/]+)", self._acl),
            (r"/api/2\.0/preview/scim/v2/Groups", lambda: self._scim(self._groups(query), query)),
            (
                r"/api/2\.0/preview/scim/v2/ServicePrincipals",
                lambda: self._scim(self._service_principals(), query),
            ),
            (
                r"/api/2\.0/accounts/servicePrincipals/(?P<sp_id>[^/]+)/credentials/secrets",
                lambda sp_id: self._secrets(sp_id, query),
            ),
            (r"/api/2\.0/token-management/tokens", lambda: (200, {"token_infos": self.tokens})),
            (
                r"/api/2\.0/preview/permissionassignments",
                lambda: (200, {"permission_assignments": self.assignments}),
            ),
            (
                r"/api/2\.0/policies/clusters/list",
                lambda: (200, {"policies": list(self.policies.values())}),
            ),
            (r"/api/2\.1/settings/features\.personalCompute\.enabled", self._personal_compute),
            (r"/api/2\.0/workspace-conf", lambda: self._conf(query["keys"][0])),
        ]
        for pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match:
                return handler(**{k: unquote(v) for k, v in match.groupdict().items()})
        return 404, error(404, f"no API at {path}")

    def _page(self, items: list[Any], key: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        """One page: the first answer to a paged request is empty and carries a token."""
        if "max_results" not in query and "page_size" not in query:
            return 200, {key: items}  # the unpaginated form
        token = query.get("page_token", [""])[0]
        if not token:
            return 200, {key: [], "next_page_token": "p0"}
        start = int(token[1:])
        end = start + self.metastore.page_size
        page: dict[str, Any] = {key: items[start:end]}
        if end < len(items):
            page["next_page_token"] = f"p{end}"
        return 200, page

    def _listing(self, plural: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        kind = plural.rstrip("s").replace("-", "_")
        unbound = query.get("include_unbound", ["false"])[0] == "true"
        items = [
            item
            for name, item in sorted(self.metastore.store(kind).items())
            if unbound or self.metastore.bound_to(kind, name, self.workspace_id)
        ]
        return self._page(items, plural.replace("-", "_"), query)

    def _schemas(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        catalog = query["catalog_name"][0]
        if catalog not in self.metastore.catalogs:
            return 404, missing("CATALOG_DOES_NOT_EXIST", f"Catalog '{catalog}' does not exist.")
        items = [
            s for _, s in sorted(self.metastore.schemas.items()) if s["catalog_name"] == catalog
        ]
        return self._page(items, "schemas", query)

    def _absent(self, kind: str, name: str) -> tuple[int, Any] | None:
        """The API's answer for a securable that does not exist, or None if it does."""
        if kind in SECURABLE_KINDS and name in self.metastore.store(kind):
            return None
        return 404, missing(f"{kind.upper()}_DOES_NOT_EXIST", f"{kind} '{name}' does not exist.")

    def _bindings(self, kind: str, name: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        absent = self._absent(kind, name)
        if absent:
            return absent
        return self._page(list(self.metastore.bindings.get((kind, name), [])), "bindings", query)

    def _effective(self, kind: str, name: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        absent = self._absent(kind, name)
        if absent:
            return absent
        assignments = [
            {"principal": principal, "privileges": privileges}
            for principal, privileges in sorted(self.metastore.effective(kind, name).items())
        ]
        return self._page(assignments, "privilege_assignments", query)

    def _status(self, path: str) -> tuple[int, Any]:
        if path not in self.directories:
            return 404, missing("RESOURCE_DOES_NOT_EXIST", f"Path ({path}) doesn't exist.")
        return 200, {
            "object_type": self.object_types.get(path, "DIRECTORY"),
            "path": path,
            "object_id": self.directories[path],
        }

    def _inherited(self, kind: str, object_id: str) -> list[tuple[str, str, str, str]]:
        """(key, principal, level, from) of the entries an object inherits."""
        if kind == "cluster-policies":
            return [("group_name", "admins", "CAN_USE", "/cluster-policies/cluster-policies")]
        if kind != "directories":
            return []
        entries = [("group_name", "admins", "CAN_MANAGE", "/directories/")]
        path = next(p for p, i in self.directories.items() if str(i) == object_id)
        parent = path.rsplit("/", 1)[0]
        while parent:
            parent_id = str(self.directories[parent])
            entries += [
                (key, principal, level, f"/directories/{parent_id}")
                for (key, principal), level in self.acls.get(("directories", parent_id), {}).items()
            ]
            parent = parent.rsplit("/", 1)[0]
        return entries

    def _acl(self, kind: str, object_id: str) -> tuple[int, Any]:
        exists = {
            "authorization": object_id == "tokens"
            and self.conf.get("enableTokensConfig") == "true"
            and bool(self.tokens),
            "directories": object_id in {str(i) for i in self.directories.values()},
            "registered-models": object_id == "root",
            "cluster-policies": object_id in self.policies,
        }.get(kind, False)
        if not exists:
            return 404, missing(
                "RESOURCE_DOES_NOT_EXIST", f"{object_id} {object_id} does not exist"
            )
        entries: dict[tuple[str, str], list[dict[str, Any]]] = {}
        if (kind, object_id) in (("authorization", "tokens"), ("registered-models", "root")):
            entries[("group_name", "admins")] = [
                {"permission_level": "CAN_MANAGE", "inherited": False}
            ]
        for key, principal, level, source in self._inherited(kind, object_id):
            entries.setdefault((key, principal), []).append(
                {"permission_level": level, "inherited": True, "inherited_from_object": [source]}
            )
        for (key, principal), level in self.acls.get((kind, object_id), {}).items():
            entries.setdefault((key, principal), []).append(
                {"permission_level": level, "inherited": False}
            )
        return 200, {
            "object_id": f"/{kind}/{object_id}",
            "object_type": OBJECT_TYPES[kind],
            "access_control_list": [
                {key: principal, "all_permissions": permissions}
                for (key, principal), permissions in sorted(entries.items())
            ],
        }

    def _groups(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        wanted = re.findall(r'displayName eq "([^"]*)"', query.get("filter", [""])[0])
        return [
            {
                "id": group.id,
                "displayName": name,
                "entitlements": [{"value": value} for value in sorted(group.entitlements)],
                "members": group.members,
            }
            for name, group in sorted(self.groups.items())
            if not wanted or name in wanted
        ]

    def _service_principals(self) -> list[dict[str, Any]]:
        return [
            {
                "id": sp.id,
                "applicationId": app_id,
                "displayName": sp.display_name,
                "entitlements": [{"value": value} for value in sorted(sp.entitlements)],
            }
            for app_id, sp in sorted(self.service_principals.items())
        ]

    @staticmethod
    def _scim(resources: list[dict[str, Any]], query: dict[str, list[str]]) -> tuple[int, Any]:
        """A SCIM page: `startIndex` counts from 1, `count` bounds it; `attributes` picks the
        attributes returned, `id` always ("returned: always", RFC 7643)."""
        start, count = int(query.get("startIndex", ["1"])[0]), int(query.get("count", ["100"])[0])
        attributes = query.get("attributes", [""])[0]
        wanted = {"id", *attributes.split(",")} if attributes else None
        page = [
            {k: v for k, v in r.items() if wanted is None or k in wanted}
            for r in resources[start - 1 : start - 1 + count]
        ]
        return 200, {
            "schemas": [SCIM_LIST],
            "totalResults": len(resources),
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": page,
        }

    def _secrets(self, sp_id: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if sp_id not in {sp.id for sp in self.service_principals.values()}:
            return 404, missing("NOT_FOUND", f"Service principal {sp_id} not found")
        items = [{"id": s, "status": "ACTIVE"} for s in self.secrets.get(sp_id, [])]
        return self._page(items, "secrets", {**query, "page_size": ["0"]})

    def _personal_compute(self) -> tuple[int, Any]:
        value = {"value": self.personal_compute}
        return 200, {
            "name": "features.personalCompute.enabled",
            "personal_compute": value,
            "effective_personal_compute": value,
        }

    def _conf(self, keys: str) -> tuple[int, Any]:
        unknown = [k for k in keys.split(",") if k not in self.conf]
        if unknown:
            return 400, {
                "error_code": "INVALID_PARAMETER_VALUE",
                "message": f"Invalid keys: {unknown}",
            }
        return 200, {key: self.conf[key] for key in keys.split(",")}

    # -- serving -------------------------------------------------------------------------

    def fault_for(self, path: str) -> Fault | None:
        return next((fault for fault in self.faults if fault.path in path), None)

    def serve(self, tls: ssl.SSLContext | None = None) -> tuple[ThreadingHTTPServer, int]:
        """Serve on a free port of 127.0.0.1 (TLS if `tls` is given); the server and its port."""
        workspace = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; Nagle would hold the body back ~40 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                url = urlparse(self.path)
                with workspace._lock:
                    workspace.calls += 1
                    if self.headers.get("Authorization"):
                        workspace.credentialed.append(url.path)
                fault = workspace.fault_for(url.path)
                time.sleep(workspace.latency + (fault.delay if fault else 0.0))
                if fault and fault.status:
                    status, body = (
                        fault.status,
                        (
                            scim_error(fault.status, "injected fault")
                            if "/scim/" in url.path
                            else error(fault.status, "injected fault")
                        ),
                    )
                else:
                    status, body = workspace.answer(url.path, parse_qs(url.query))
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if status == 429:
                        self.send_header("Retry-After", "1")
                    if fault and fault.location:
                        self.send_header("Location", fault.location)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request: Any, client_address: Any) -> None:
                if tls is not None:
                    try:
                        request = tls.wrap_socket(request, server_side=True)
                    except (ssl.SSLError, OSError):
                        return
                super().finish_request(request, client_address)

        server = Server(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default).
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return server, server.server_address[1]


def scim(entitlements: dict[str, bool]) -> set[str]:
    """Output entitlement keys as SCIM names them: workspace_access is workspace-access."""
    return {key.replace("_", "-") for key, on in entitlements.items() if on}


def access(rows: list[dict[str, str]], principals: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Output access rows as the Permissions API keys them: groups by name, service principals by
    application id."""
    return {
        (
            "service_principal_name"
            if principals[row["role"]]["kind"] == "service_principal"
            else "group_name",
            principals[row["role"]]["name"],
        ): row["permission_level"]
        for row in rows
    }


def error(status: int, message: str) -> dict[str, str]:
    return {"error_code": ERROR_CODES.get(status, "UNKNOWN"), "message": message}


def missing(code: str, message: str) -> dict[str, str]:
    return {"error_code": code, "message": message}


def scim_error(status: int, detail: str) -> dict[str, Any]:
    return {"schemas": [SCIM_ERROR], "detail": detail, "status": str(status)}
