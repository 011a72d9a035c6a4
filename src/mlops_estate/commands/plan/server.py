"""The program server: imports Pulumi and the estate once, then forks one child per plan.

`python -m mlops_estate.commands.plan.server` reads one request per line on stdin (JSON: the
request and where to write the report), forks a child that runs the program and writes its
report there, and answers `exit <code>` on stdout once the child has ended. The server itself
runs no program; each child starts from the same clean, fully imported state.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import types

from ... import estate  # noqa: F401  (the estate's providers, imported once for every child)
from . import program


def _child(request: dict, report_path: str) -> int:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the child reads no further requests
    os.dup2(2, 1)  # the program's output goes to stderr, never into the server's answers
    sys.stdout = sys.stderr
    try:
        program.write_report(request, report_path)
    except BaseException:
        return 1
    return 0


def _load_provider_modules() -> None:
    """Load the provider packages the estate's modules name. pulumi-azure-native imports each
    package on first use (`_utilities.lazy_import`, an `importlib.util.LazyLoader`), hundreds
    of modules each: loaded here once, not again in every child."""
    for module in [m for name, m in sys.modules.items() if name.startswith("mlops_estate")]:
        for value in list(vars(module).values()):
            if isinstance(value, types.ModuleType):
                # Reading an attribute that is not module metadata executes a lazy module
                # (pulumi._utils._LazyModule).
                getattr(value, "__all__", None)


def serve() -> None:
    _load_provider_modules()
    gc.collect()
    gc.freeze()  # the children share these pages until they write to them
    answers = sys.stdout
    for line in sys.stdin:
        message = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(_child(message["request"], message["report_path"]))
        _, status = os.waitpid(pid, 0)
        answers.write(f"exit {os.waitstatus_to_exitcode(status)}\n")
        answers.flush()


if __name__ == "__main__":
    serve()
