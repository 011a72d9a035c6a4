"""How `estate audit` scales: 1,000 securables on a local Databricks REST server.

Plans a UAT estate with enough ML projects for 1,000 Unity Catalog securables, serves a
matching live workspace on 127.0.0.1 with 20 ms added to every answer, and audits it through
databricks-sdk for a few pool sizes. Prints the wall time, the calls the server answered, and
the ratio to the floor: calls x 20 ms / pool size.

    .venv/bin/python benchmarks/audit_scale.py [--securables N] [--latency-ms MS]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml
from databricks.sdk import WorkspaceClient
from databricks.sdk.config import Config

from mlops_estate.commands.audit.declared import declared_estate
from mlops_estate.commands.audit.run import run_audit
from mlops_estate.commands.documents import from_plan_document
from mlops_estate.commands.plan.render import plan_document
from mlops_estate.commands.plan.runner import run_plan
from mlops_estate.config import CONFIG_ROOT

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from support.fake_databricks import FakeWorkspace  # noqa: E402  (the tests' local server)


def estate_outputs(securables: int) -> dict:
    """Outputs of a planned UAT estate with at least `securables` Unity Catalog securables."""
    folder = Path(tempfile.mkdtemp())
    shutil.copy(REPO / "Pulumi.yaml", folder / "Pulumi.yaml")
    shutil.copytree(
        REPO / "stacks", folder / "stacks", ignore=shutil.ignore_patterns("__pycache__")
    )
    document = yaml.safe_load((REPO / "Pulumi.uat.yaml").read_text())
    fixed = 6  # two catalogs, a development schema, a storage credential and location, spare
    projects = max(1, (securables - fixed + 1) // 2)
    document["config"][CONFIG_ROOT]["projects"] = [{"name": f"p{i:04d}"} for i in range(projects)]
    (folder / "Pulumi.uat.yaml").write_text(yaml.safe_dump(document))
    return plan_document(run_plan(folder, "uat"))["outputs"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--securables", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    logging.getLogger("databricks.sdk").setLevel(logging.ERROR)
    outputs = estate_outputs(args.securables)
    declared = declared_estate(
        from_plan_document({"stack": "uat", "outputs": outputs, "resources": [], "violations": []})
    )
    latency = args.latency_ms / 1000
    print(f"securables: {len(outputs['owners'])}, latency: {args.latency_ms:.0f} ms per answer")
    print(
        f"{'pool':>4} {'wall s':>7} {'reads':>6} {'calls':>6} {'floor s':>8} {'ratio':>6} "
        f"{'verdict':>8}"
    )
    for pool in (8, 16, 32):
        workspace = FakeWorkspace.matching(outputs)
        workspace.latency = latency
        server, url = workspace.serve()
        client = WorkspaceClient(config=Config(host=url, token="benchmark", auth_type="pat"))
        start = time.perf_counter()
        result = run_audit("uat", declared, client, pool)
        wall = time.perf_counter() - start
        server.shutdown()
        floor = workspace.calls * latency / pool
        print(
            f"{pool:>4} {wall:>7.2f} {result.reads:>6} {workspace.calls:>6} {floor:>8.2f} "
            f"{wall / floor:>6.2f} {result.exit_code:>8}"
        )


if __name__ == "__main__":
    main()
