"""How `estate audit` scales: about 1,000 Unity Catalog securables, the server in its own process.

Plans a UAT estate with enough ML projects for N securables, and serves the workspace of that
estate freshly deployed (tests/support/fake_databricks.py: paging with empty pages, implicit
entries, inheritance) over HTTPS on 127.0.0.1, from a separate process, with a fixed latency
added to every answer. The audit reads it through databricks-sdk, as `estate audit` does, for
each pool size, and the benchmark prints the wall time, the reads, the calls the server
answered, the floor (calls x latency / pool: no audit can be faster with that pool) and the
ratio to it, with the CPU each side spends per call: the budget a call may take of the audit's
one interpreter at that pool is latency / pool. A second table shows the calls growing with
the securables.

    .venv/bin/python benchmarks/audit_scale.py [--securables N] [--latency-ms MS]
        [--pools 8 16] [--page-size 100]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import yaml
from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config

from mlops_estate.commands.audit.declared import DeclaredEstate
from mlops_estate.commands.audit.run import audit_stack
from mlops_estate.commands.audit.schema import parse_declared
from mlops_estate.commands.plan.render import plan_document
from mlops_estate.commands.plan.runner import run_plan
from mlops_estate.config import CONFIG_ROOT

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from support.azure_network import LocalAuthority, server_context  # noqa: E402
from support.fake_databricks import FakeWorkspace  # noqa: E402  (the tests' local server)


def estate_outputs(securables: int) -> dict[str, Any]:
    """Outputs of a planned UAT estate with about `securables` Unity Catalog securables."""
    folder = Path(tempfile.mkdtemp())
    shutil.copy(REPO / "Pulumi.yaml", folder / "Pulumi.yaml")
    shutil.copytree(
        REPO / "stacks", folder / "stacks", ignore=shutil.ignore_patterns("__pycache__")
    )
    document = yaml.safe_load((REPO / "Pulumi.uat.yaml").read_text())
    estate = document["config"][CONFIG_ROOT]

    def plan(projects: int) -> dict[str, Any]:
        estate["projects"] = [{"name": f"p{i:04d}"} for i in range(projects)]
        (folder / "Pulumi.uat.yaml").write_text(yaml.safe_dump(document))
        return plan_document(run_plan(folder, "uat"))["outputs"]

    fixed = len(plan(1)["owners"]) - 2  # two schemas per project
    return plan(max(1, (securables - fixed + 1) // 2))


@dataclass(frozen=True)
class Run:
    wall: float
    reads: int
    calls: int
    exit_code: int
    client_cpu: float
    """CPU seconds the audit's process spent reading and comparing."""
    server_cpu: float
    """CPU seconds the server's process spent answering."""


def serve(
    outputs: dict[str, Any], latency: float, page_size: int, chain: str, pipe: Connection
) -> None:
    """The child process: serve the deployed workspace until told to stop; report the calls
    and the CPU time spent serving them."""
    workspace = FakeWorkspace.matching(outputs)
    workspace.latency = latency
    workspace.metastore.page_size = page_size
    server, port = workspace.serve(server_context(Path(chain)))
    pipe.send(port)
    start = time.process_time()
    pipe.recv()
    pipe.send((workspace.calls, time.process_time() - start))
    server.shutdown()


def audit_once(
    outputs: dict[str, Any], latency: float, page_size: int, pool: int, authority: LocalAuthority
) -> Run:
    """One audit against a fresh server process."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=serve,
        args=(outputs, latency, page_size, str(authority.issue("127.0.0.1")), child),
    )
    process.start()
    port = parent.recv()
    declared = DeclaredEstate(parse_declared(outputs, "outputs"))
    client = _client(f"https://127.0.0.1:{port}", pool)
    start, cpu = time.perf_counter(), time.process_time()
    result = audit_stack(declared, (), client, pool)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    parent.send("stop")
    calls, server_cpu = parent.recv()
    process.join()
    return Run(wall, result.reads, calls, int(result.exit_code), cpu, server_cpu)


def _client(url: str, pool: int) -> WorkspaceClient:
    """A client as `estate audit` makes one (hosts.workspace_client), for a local URL, to
    which `estate audit` itself never sends credentials."""
    return WorkspaceClient(
        config=Config(
            host=url,
            token="benchmark",
            auth_type="pat",
            max_connection_pools=max(pool, 20),
            max_connections_per_pool=max(pool, 20),
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--securables", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--pools", type=int, nargs="+", default=[8, 16])
    parser.add_argument(
        "--page-size",
        type=int,
        default=100,
        help="the server's page for max_results=0 (items, or principals for effective "
        "permissions); every listing still starts with an empty page",
    )
    args = parser.parse_args()
    logging.getLogger("databricks.sdk").setLevel(logging.ERROR)
    authority = LocalAuthority(Path(tempfile.mkdtemp()))
    os.environ["REQUESTS_CA_BUNDLE"] = os.environ["CURL_CA_BUNDLE"] = str(authority.bundle)
    latency = args.latency_ms / 1000
    outputs = estate_outputs(args.securables)
    print(
        f"securables: {len(outputs['owners'])}, latency: {args.latency_ms:.0f} ms per answer, "
        f"pages of {args.page_size}, server in its own process"
    )
    print(
        f"{'pool':>4} {'wall s':>7} {'reads':>6} {'calls':>6} {'floor s':>8} {'ratio':>6} "
        f"{'exit':>5} {'budget ms/call':>15} {'audit cpu ms/call':>18} {'server cpu ms/call':>19}"
    )
    for pool in args.pools:
        run = audit_once(outputs, latency, args.page_size, pool, authority)
        floor = run.calls * latency / pool
        print(
            f"{pool:>4} {run.wall:>7.2f} {run.reads:>6} {run.calls:>6} {floor:>8.2f} "
            f"{run.wall / floor:>6.2f} {run.exit_code:>5} {latency / pool * 1000:>15.2f} "
            f"{run.client_cpu / run.calls * 1000:>18.2f} {run.server_cpu / run.calls * 1000:>19.2f}"
        )
    print("\ncalls against securables (pool 16, no added latency):")
    print(f"{'securables':>10} {'calls':>6} {'calls per securable':>20}")
    for size in (args.securables // 4, args.securables // 2, args.securables):
        sized = estate_outputs(size)
        calls = audit_once(sized, 0.0, args.page_size, 16, authority).calls
        count = len(sized["owners"])
        print(f"{count:>10} {calls:>6} {calls / count:>20.2f}")


if __name__ == "__main__":
    main()
