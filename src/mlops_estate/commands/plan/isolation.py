"""The judge apart from the judged: the stack program runs in another process.

The rules, the trusted config and the verdict live in this process; the program runs in a
child forked by the program server (`server`), which has imported Pulumi and the estate once,
so each plan starts fast and from the same clean state. The child returns a JSON report, which
this process validates like any other untrusted file. Clearing or patching the rules inside the
program's interpreter changes nothing here.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .record import Lookup, PlannedResource

# A program that runs longer than this is stopped; the plan then fails.
PROGRAM_TIMEOUT_SECONDS = 900


class ProgramFailure(Exception):
    """The program's process did not report, or reported nonsense."""


class ProgramReport(BaseModel):
    """What a child reports, validated: this process trusts its shape, not its truth."""

    model_config = ConfigDict(extra="forbid")
    resources: list[PlannedResource]
    lookups: list[Lookup]
    outputs: dict[str, Any] | None
    error: dict[str, Any] | None


class _ProgramServer:
    """The one program server of this process, started on first use."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        atexit.register(self.stop)

    def _running(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", f"{__package__}.server"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        return self._process

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None

    def run(self, request: dict[str, Any], report_path: Path) -> str:
        """Send one request; the server's answer, or '' if it gave none in time."""
        with self._lock:
            server = self._running()
            assert server.stdin is not None and server.stdout is not None
            server.stdin.write(
                json.dumps({"request": request, "report_path": str(report_path)}) + "\n"
            )
            answer: list[str] = []
            reader = threading.Thread(
                target=lambda: answer.append(server.stdout.readline()), daemon=True
            )
            reader.start()
            reader.join(PROGRAM_TIMEOUT_SECONDS)
            if not answer or not answer[0]:
                self.stop()  # a program that hangs, or a server that died
                return ""
            return answer[0].strip()


_SERVER = _ProgramServer()


def run_in_child(request: dict[str, Any]) -> ProgramReport:
    """Run the program of `request` in a child process and read back its report."""
    with tempfile.TemporaryDirectory(prefix="estate-plan-") as folder:
        report_path = Path(folder) / "report.json"
        answer = _SERVER.run(request, report_path)
        if not answer:
            raise ProgramFailure(
                "the program did not finish within "
                f"{PROGRAM_TIMEOUT_SECONDS} s, or its process died"
            )
        if not report_path.is_file():
            raise ProgramFailure(f"the program's process ended ({answer}) without a report")
        try:
            return ProgramReport.model_validate(json.loads(report_path.read_text("utf-8")))
        except (ValueError, ValidationError) as error:
            raise ProgramFailure(f"the program's report is malformed: {error}") from None
