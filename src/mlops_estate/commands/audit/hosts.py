"""Where the audit's credentials may go: the workspaces the caller names, and only those.

The host that receives credentials never comes from a declared file alone, since whoever can
change the file can change the id in it too: it comes from `--host` or DATABRICKS_HOST, must
be an Azure Databricks per-workspace URL, and must be the workspace the file declares. All of
it is checked before any request is made.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config

HOST_ENV = "DATABRICKS_HOST"
# "The unique per-workspace URL has the format adb-<workspace-id>.<random-number>.
# azuredatabricks.net. The workspace ID appears immediately after adb-"
# (https://learn.microsoft.com/azure/databricks/workspace/workspace-details). Legacy regional
# URLs (<region>.azuredatabricks.net) name no workspace, and accounts.azuredatabricks.net is
# the account console, not a workspace.
_PER_WORKSPACE_HOST = re.compile(r"adb-(?P<id>[0-9]{1,19})\.[0-9]{1,5}\.azuredatabricks\.net")
ALLOWED = "an Azure Databricks workspace URL: https://adb-<workspace id>.<n>.azuredatabricks.net"


class HostError(Exception):
    """A host the audit will not send credentials to; the message names the option."""


def workspace_id_of(url: str) -> str | None:
    """The workspace id in an Azure Databricks per-workspace URL, or None if `url` is not one:
    https only, no user, port, path (but `/`), query or fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    match = _PER_WORKSPACE_HOST.fullmatch((parts.hostname or "").lower())
    if (
        parts.scheme.lower() != "https"
        or not match
        or port is not None
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.netloc.lower() != match.group(0)
    ):
        return None
    return match.group("id")


def normalized(url: str) -> str:
    """A per-workspace URL as the SDK's `Config.host` holds it: https://host, lower case."""
    return f"https://{urlsplit(url).hostname}"


def audit_hosts(
    declared_hosts: list[tuple[str, str]], given: list[str], env_host: str | None
) -> list[str]:
    """The host to audit for each declared stack, given as (label, declared host) in the
    order of `--declared`: one `--host` each in the same order, or DATABRICKS_HOST for a
    single stack. Raises HostError, naming the option, before anything is sent."""
    if given:
        option = "--host"
        if len(given) != len(declared_hosts):
            raise HostError(
                f"--host: given {len(given)} times for {len(declared_hosts)} --declared files; "
                "give one --host per --declared, in the same order"
            )
        hosts = list(given)
    elif env_host and len(declared_hosts) == 1:
        option, hosts = HOST_ENV, [env_host]
    elif env_host:
        raise HostError(
            f"{HOST_ENV} names one workspace, and {len(declared_hosts)} stacks are declared: "
            "give one --host per --declared, in the same order"
        )
    else:
        raise HostError(
            f"no workspace to audit: pass --host (or set {HOST_ENV}); allowed: {ALLOWED}"
        )
    for host, (label, declared) in zip(hosts, declared_hosts, strict=True):
        if workspace_id_of(host) is None:
            raise HostError(f"{option}: {host!r} is not allowed: {ALLOWED}")
        if normalized(host) != normalized(declared):
            raise HostError(
                f"{option}: {host!r} is not the workspace that {label} declares "
                f"({declared!r}): no credentials are sent to a workspace the declared outputs "
                "do not name"
            )
    if len({normalized(h) for h in hosts}) != len(hosts):
        raise HostError(f"{option}: each declared stack has its own workspace; a host repeats")
    return [normalized(h) for h in hosts]


def workspace_client(
    host: str, retry_timeout: int, http_timeout: int, workers: int
) -> WorkspaceClient:
    """A client of one checked host, with databricks-sdk's unified authentication. An explicit
    host is never replaced by DATABRICKS_HOST or a config profile (databricks-sdk
    `Config._load_from_env` and `_known_file_config_loader` skip attributes already set); the
    host the client ends up with is checked again all the same. Its connection pool holds a
    connection per worker: the SDK's blocks at 20 otherwise (`_BaseClient`, `pool_block`)."""
    client = WorkspaceClient(
        config=Config(
            host=host,
            retry_timeout_seconds=retry_timeout,
            http_timeout_seconds=http_timeout,
            max_connection_pools=max(workers, 20),
            max_connections_per_pool=max(workers, 20),
        )
    )
    if normalized(client.config.host or "") != host:
        raise HostError(f"the client resolved {client.config.host!r}, not the checked {host!r}")
    return settled(client)


def settled(client: WorkspaceClient) -> WorkspaceClient:
    """The client, its HTTP session's environment settings resolved once for its host.

    requests resolves proxies (HTTPS_PROXY, NO_PROXY) and the CA bundle (REQUESTS_CA_BUNDLE,
    CURL_CA_BUNDLE) from the environment again on every call while the session's `trust_env`
    ("Trust environment settings for proxy configuration, default authentication and
    similar", requests.Session) is on (`Session.merge_environment_settings`), walking the
    whole environment each time: about a quarter of the CPU an audit spent per call. Every
    call goes to the one host, so that function's answer for the host is kept on the session
    (`proxies`, `verify`), where requests reads it with `trust_env` off. The session is
    databricks-sdk's own (`ApiClient._api_client._session`, databricks-sdk 0.162
    `_BaseClient`), which sets no proxies or verify of its own; its `auth` hook, not .netrc,
    authenticates.
    """
    session = getattr(getattr(client.api_client, "_api_client", None), "_session", None)
    if not isinstance(session, requests.Session):
        raise HostError(
            "this databricks-sdk keeps its HTTP session elsewhere: install the version "
            "pyproject.toml pins"
        )
    environment = session.merge_environment_settings(client.config.host, {}, None, None, None)
    session.proxies, session.verify = environment["proxies"], environment["verify"]
    session.trust_env = False
    # No redirect is followed: requests drops only Authorization on a redirect to another host
    # (`Session.rebuild_auth`), and the SDK's Azure headers would go with it. A redirect fails
    # the read, which the audit reports as not checked.
    session.max_redirects = 0
    return client
