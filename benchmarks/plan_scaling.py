"""How `estate plan` scales with the number of ML projects, against a bare floor.

For 1, 10, 100 and 300 projects, plans the UAT example estate and a bare program that
registers the same resources directly with pulumi-databricks (benchmarks/bare_program.py),
both under the same mock monitor, in process, alternately. Prints the median wall times, the
resource counts, the ratio to the floor, and the time per resource.

    .venv/bin/python benchmarks/plan_scaling.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from mlops_estate.commands.plan.runner import Plan, run_plan
from mlops_estate.config import CONFIG_ROOT

REPO = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 100, 300)


def estate_project(folder: Path, projects: int) -> Path:
    shutil.copy(REPO / "Pulumi.yaml", folder / "Pulumi.yaml")
    shutil.copytree(
        REPO / "stacks", folder / "stacks", ignore=shutil.ignore_patterns("__pycache__")
    )
    document = yaml.safe_load((REPO / "Pulumi.uat.yaml").read_text())
    document["config"][CONFIG_ROOT]["projects"] = [{"name": f"p{i:04d}"} for i in range(projects)]
    (folder / "Pulumi.uat.yaml").write_text(yaml.safe_dump(document))
    return folder


def bare_project(folder: Path, projects: int) -> Path:
    (folder / "Pulumi.yaml").write_text("name: bare\nruntime: python\nmain: program/\n")
    (folder / "program").mkdir()
    shutil.copy(REPO / "benchmarks" / "bare_program.py", folder / "program" / "__main__.py")
    (folder / "Pulumi.uat.yaml").write_text(f"config:\n  bench:projects: {projects}\n")
    return folder


def input_shape(plan: Plan) -> list[tuple[str, tuple[str, ...]]]:
    """Each registered resource's type and input keys: equal shapes make a fair floor."""
    return sorted((r.type, tuple(sorted(r.inputs))) for r in plan.resources if r.custom)


def median_times(estate: Path, bare: Path, repeat: int) -> tuple[float, float, Plan, Plan]:
    """Median wall times of estate and bare plans, run alternately so drift hits both alike:
    at least `repeat` runs each, and at least two seconds of planning each (at most 50 runs)."""
    timings: dict[Path, list[float]] = {estate: [], bare: []}
    plans: dict[Path, Plan] = {}
    while any(len(t) < repeat or (sum(t) < 2.0 and len(t) < 50) for t in timings.values()):
        for folder, folder_timings in timings.items():
            start = time.perf_counter()
            plans[folder] = run_plan(folder, "uat")
            folder_timings.append(time.perf_counter() - start)
    return (
        statistics.median(timings[estate]),
        statistics.median(timings[bare]),
        plans[estate],
        plans[bare],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    run_plan(estate_project(Path(tempfile.mkdtemp()), 1), "uat")  # warm the imports
    print(
        f"{'projects':>8} {'estate s':>9} {'bare s':>8} {'ratio':>6} {'resources':>9} "
        f"{'bare res':>8} {'ms/resource':>11} {'same inputs':>11}"
    )
    for size in SIZES:
        with tempfile.TemporaryDirectory() as estate_dir, tempfile.TemporaryDirectory() as bare_dir:
            estate_time, bare_time, estate, bare = median_times(
                estate_project(Path(estate_dir), size), bare_project(Path(bare_dir), size), repeat
            )
        custom = sum(1 for r in estate.resources if r.custom)
        print(
            f"{size:>8} {estate_time:>9.3f} {bare_time:>8.3f} {estate_time / bare_time:>6.2f} "
            f"{custom:>9} {len(bare.resources):>8} {1000 * estate_time / custom:>11.2f} "
            f"{'yes' if input_shape(estate) == input_shape(bare) else 'NO':>11}"
        )


if __name__ == "__main__":
    main()
