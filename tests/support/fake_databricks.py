"""A local server on 127.0.0.1 that speaks the Databricks REST API endpoints the audit reads.

Real paths and JSON shapes, an in-memory workspace, injectable faults (status codes, delays),
and a count of the calls it answered. `FakeWorkspace.matching(outputs)` builds a live
workspace that matches a declared estate, so a test changes only what it wants to drift.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from mlops_estate.commands.audit.declared import SCIM_ENTITLEMENTS as ENTITLEMENT_VALUES

ERROR_CODES = {
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    503: "TEMPORARILY_UNAVAILABLE",
}


@dataclass
class Fault:
    """Answers requests whose path contains `path` with `status`, or after `delay` seconds."""

    path: str
    status: int | None = None
    delay: float = 0.0


@dataclass
class FakeWorkspace:
    catalogs: dict[str, dict[str, Any]] = field(default_factory=dict)
    storage_credentials: dict[str, dict[str, Any]] = field(default_factory=dict)
    external_locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    bindings: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    grants: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    directories: dict[str, int] = field(default_factory=dict)
    acls: dict[tuple[str, str], dict[tuple[str, str], str]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    conf: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    latency: float = 0.0
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def matching(cls, outputs: dict[str, Any]) -> FakeWorkspace:
        """The live state of a workspace where everything declared in `outputs` is in place."""
        names = {role: p["name"] for role, p in outputs["principals"].items()}
        workspace = cls()
        for owned in outputs["owners"]:
            kind, name, owner = owned["securable_type"], owned["securable"], names[owned["role"]]
            if kind == "catalog":
                workspace.catalogs[name] = {
                    "name": name,
                    "isolation_mode": "ISOLATED",
                    "owner": owner,
                }
            elif kind in ("storage_credential", "external_location"):
                store = (
                    workspace.storage_credentials
                    if kind == "storage_credential"
                    else workspace.external_locations
                )
                store[name] = {
                    "name": name,
                    "isolation_mode": "ISOLATION_MODE_ISOLATED",
                    "owner": owner,
                }
        for binding in outputs["bindings"]:
            workspace.bindings.setdefault(
                (binding["securable_type"], binding["securable"]), []
            ).append(
                {
                    "workspace_id": int(binding["workspace_id"]),
                    "binding_type": binding["binding_type"],
                }
            )
        for owned in outputs["owners"]:
            workspace.grants.setdefault((owned["securable_type"], owned["securable"]), {})
        for row in outputs["access_matrix"]:
            workspace.grants.setdefault((row["securable_type"], row["securable"]), {})[
                names[row["role"]]
            ] = list(row["privileges"])
        for index, (path, folder) in enumerate(sorted(outputs["folders"].items())):
            workspace.directories[path] = 1000 + index
            workspace.acls[("directories", str(1000 + index))] = {
                (_principal_key(outputs, entry["role"]), names[entry["role"]]): entry[
                    "permission_level"
                ]
                for entry in folder["access"]
            }
        settings = outputs["workspace_settings"]
        for key, entries in (
            (("authorization", "tokens"), settings["token_usage"]),
            (("registered-models", "root"), settings["model_registry"]),
        ):
            workspace.acls[key] = {
                (_principal_key(outputs, entry["role"]), names[entry["role"]]): entry[
                    "permission_level"
                ]
                for entry in entries
            }
        for persona in outputs["personas"]:
            workspace.groups[persona["group"]] = {
                ENTITLEMENT_VALUES[key] for key, on in persona["entitlements"].items() if on
            }
        workspace.conf = dict(settings["workspace_conf"])
        return workspace

    # -- serving -------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        routes: list[tuple[str, Any]] = [
            (
                r"/api/2\.1/unity-catalog/catalogs/(?P<name>[^/]+)",
                lambda name: self._securable(self.catalogs, name, "CATALOG_DOES_NOT_EXIST"),
            ),
            (
                r"/api/2\.1/unity-catalog/storage-credentials/(?P<name>[^/]+)",
                lambda name: self._securable(
                    self.storage_credentials, name, "STORAGE_CREDENTIAL_DOES_NOT_EXIST"
                ),
            ),
            (
                r"/api/2\.1/unity-catalog/external-locations/(?P<name>[^/]+)",
                lambda name: self._securable(
                    self.external_locations, name, "EXTERNAL_LOCATION_DOES_NOT_EXIST"
                ),
            ),
            (
                r"/api/2\.1/unity-catalog/bindings/(?P<kind>[^/]+)/(?P<name>[^/]+)",
                lambda kind, name: (200, {"bindings": self.bindings.get((kind, name), [])}),
            ),
            (
                r"/api/2\.1/unity-catalog/permissions/(?P<kind>[^/]+)/(?P<name>[^/]+)",
                self._permissions,
            ),
            (
                r"/api/2\.1/unity-catalog/effective-permissions/(?P<kind>[^/]+)/(?P<name>[^/]+)",
                self._effective,
            ),
            (r"/api/2\.0/workspace/get-status", lambda: self._status(query["path"][0])),
            (r"/api/2\.0/permissions/(?P<kind>[^/]+)/(?P<object_id>[^/]+)", self._acl),
            (r"/api/2\.0/preview/scim/v2/Groups", lambda: self._groups(query)),
            (
                r"/api/2\.0/workspace-conf",
                lambda: (200, {key: self.conf.get(key) for key in query["keys"][0].split(",")}),
            ),
        ]
        for pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match:
                return handler(**{k: unquote(v) for k, v in match.groupdict().items()})
        return 404, _error(404, f"no route for {path}")

    @staticmethod
    def _securable(store: dict[str, dict[str, Any]], name: str, code: str) -> tuple[int, Any]:
        if name not in store:
            return 404, {"error_code": code, "message": f"{name} does not exist"}
        return 200, store[name]

    def _permissions(self, kind: str, name: str) -> tuple[int, Any]:
        granted = self.grants.get((kind, name))
        if granted is None:
            return 404, _error(404, f"{kind} {name} does not exist")
        return 200, {
            "privilege_assignments": [
                {"principal": principal, "privileges": privileges}
                for principal, privileges in sorted(granted.items())
            ]
        }

    def _effective(self, kind: str, name: str) -> tuple[int, Any]:
        if (kind, name) not in self.grants:
            return 404, _error(404, f"{kind} {name} does not exist")
        sources = [(kind, name)]
        if kind == "schema":
            sources.append(("catalog", name.split(".")[0]))
        effective: dict[str, list[dict[str, str]]] = {}
        for source_kind, source in sources:
            for principal, privileges in self.grants.get((source_kind, source), {}).items():
                for privilege in privileges:
                    entry = {"privilege": privilege}
                    if (source_kind, source) != (kind, name):
                        entry.update(
                            inherited_from_type=source_kind.upper(), inherited_from_name=source
                        )
                    effective.setdefault(principal, []).append(entry)
        return 200, {
            "privilege_assignments": [
                {"principal": principal, "privileges": privileges}
                for principal, privileges in sorted(effective.items())
            ]
        }

    def _status(self, path: str) -> tuple[int, Any]:
        if path not in self.directories:
            return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": f"{path} missing"}
        return 200, {"object_type": "DIRECTORY", "path": path, "object_id": self.directories[path]}

    def _acl(self, kind: str, object_id: str) -> tuple[int, Any]:
        acl = self.acls.get((kind, object_id))
        if acl is None:
            return 404, _error(404, f"{kind}/{object_id} does not exist")
        return 200, {
            "object_id": f"/{kind}/{object_id}",
            "object_type": kind.rstrip("s"),
            "access_control_list": [
                {
                    key: principal,
                    "all_permissions": [{"permission_level": level, "inherited": False}],
                }
                for (key, principal), level in sorted(acl.items())
            ],
        }

    def _groups(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        wanted = re.fullmatch(r'displayName eq "(.*)"', query.get("filter", [""])[0])
        start = int(query.get("startIndex", ["1"])[0])
        found = [
            {
                "id": str(abs(hash(name)) % 10**12),
                "displayName": name,
                "entitlements": [{"value": value} for value in sorted(entitlements)],
            }
            for name, entitlements in sorted(self.groups.items())
            if wanted and name == wanted.group(1)
        ]
        page = found[start - 1 :]
        return 200, {
            "Resources": page,
            "totalResults": len(found),
            "startIndex": start,
            "itemsPerPage": len(page),
        }

    def fault_for(self, path: str) -> Fault | None:
        return next((fault for fault in self.faults if fault.path in path), None)

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        """Start serving on a free port of 127.0.0.1; returns the server and its base URL."""
        workspace = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; Nagle would hold the body back ~40 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                with workspace._lock:
                    workspace.calls += 1
                url = urlparse(self.path)
                fault = workspace.fault_for(url.path)
                time.sleep(workspace.latency + (fault.delay if fault else 0.0))
                if fault and fault.status:
                    status, body = fault.status, _error(fault.status, "injected fault")
                else:
                    status, body = workspace.answer(url.path, parse_qs(url.query))
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if status == 429:
                        self.send_header("Retry-After", "1")
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}"


def _principal_key(outputs: dict[str, Any], role: str) -> str:
    kind = outputs["principals"][role]["kind"]
    return "service_principal_name" if kind == "service_principal" else "group_name"


def _error(status: int, message: str) -> dict[str, str]:
    return {"error_code": ERROR_CODES.get(status, "UNKNOWN"), "message": message}
