"""Azure's network for the tests: https://adb-<id>.<n>.azuredatabricks.net reaches a local
server, with the code under test unchanged.

The audit sends credentials only to real workspace URLs, over HTTPS. The tests give it those
URLs and route them here the way a corporate network would: databricks-sdk's `requests`
session honours HTTPS_PROXY, so a CONNECT proxy on 127.0.0.1 tunnels each workspace host to
its local server, whose certificate a test CA signs (REQUESTS_CA_BUNDLE). The proxy records
every host asked for: a request that was never made never reached it.
"""

from __future__ import annotations

import datetime
import ipaddress
import select
import socket
import socketserver
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .fake_databricks import FakeWorkspace


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    host: str | None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    issuer_name, issuer_key = issuer or (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=host is None, path_length=None), critical=True)
    )
    if host is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


class LocalAuthority:
    """A certificate authority for local TLS servers; `bundle` is its certificate."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._certificate = _certificate("mlops-estate test CA", self._key, None, None)
        self.bundle = folder / "ca.pem"
        self.bundle.write_bytes(self._certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, host: str) -> Path:
        """A certificate for `host` (and 127.0.0.1) with its key, as one PEM file."""
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = _certificate(host, key, (self._certificate.subject, self._key), host)
        chain = self.folder / f"{host}.pem"
        chain.write_bytes(
            leaf.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return chain


def server_context(chain: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return context


class AzureNetwork:
    """Workspace hosts served locally over TLS, reached through a CONNECT proxy."""

    def __init__(self, folder: Path) -> None:
        self.authority = LocalAuthority(folder)
        self.routes: dict[str, int] = {}
        self.connects: list[str] = []
        """Every host:port the proxy was asked to reach, in order."""
        self._servers: list[socketserver.BaseServer] = []
        self.proxy_port = self._proxy()

    @property
    def environment(self) -> dict[str, str]:
        """What routes the SDK's requests here (both spellings: lower case wins in urllib)."""
        proxy = f"http://127.0.0.1:{self.proxy_port}"
        bundle = str(self.authority.bundle)
        return {
            "HTTPS_PROXY": proxy,
            "https_proxy": proxy,
            "REQUESTS_CA_BUNDLE": bundle,
            "CURL_CA_BUNDLE": bundle,
        }

    def serve(self, workspace: FakeWorkspace) -> str:
        """Serve a workspace at its host name; its URL."""
        server, port = workspace.serve(server_context(self.authority.issue(workspace.hostname)))
        self._servers.append(server)
        self.routes[f"{workspace.hostname}:443"] = port
        return f"https://{workspace.hostname}"

    def _proxy(self) -> int:
        network = self

        class Tunnel(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
                network.connects.append(target)
                port = network.routes.get(target)
                if method != "CONNECT" or port is None:
                    self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    return
                with socket.create_connection(("127.0.0.1", port)) as upstream:
                    self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _relay(self.request, upstream)

        class Proxy(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        proxy = Proxy(("127.0.0.1", 0), Tunnel)
        threading.Thread(
            target=proxy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self._servers.append(proxy)
        return proxy.server_address[1]

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    sockets = [client, upstream]
    while True:
        readable, _, failed = select.select(sockets, [], sockets, 60)
        if failed or not readable:
            return
        for source in readable:
            data = source.recv(65536)
            if not data:
                return
            (upstream if source is client else client).sendall(data)
