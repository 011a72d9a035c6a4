"""Reading a live workspace with databricks-sdk: one read per fact, concurrently.

Every read is a `Read` with a label; a read may plan more reads from what it found (the
bindings of each listed catalog, the secrets of each service principal), which join the same
bounded pool as soon as it is done. A failed read (403, 404, 429 after the SDK's retries, 5xx,
a timeout) is kept with what went wrong, never dropped, so the audit fails closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from queue import SimpleQueue
from typing import Any

from databricks.sdk.errors import DatabricksError

Key = tuple[str, ...]
# A value the SDK could not name: it returns unknown enum values as None (databricks-sdk
# `_internal._enum`: "Unknown enum values are returned as None"). The audit keeps the entry,
# named so, and never takes it for less access.
UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Read:
    key: Key
    what: str
    fetch: Callable[[], Any]
    then: Callable[[Any], list[Read]] | None = None
    """The reads that what was found calls for."""
    rights: str = ""
    """The least the audit identity needs for this read, said when it is refused."""


@dataclass
class LiveState:
    facts: dict[Key, Any] = field(default_factory=dict)
    unreadable: dict[Key, str] = field(default_factory=dict)
    reads: int = 0

    def get(self, *key: str) -> Any:
        return self.facts.get(key)


def _reason(read: Read, error: Exception) -> str:
    if isinstance(error, DatabricksError):
        code = getattr(error, "error_code", None) or type(error).__name__
        reason = f"{code}: {error}".split(". Config:")[0]
        if code == "PERMISSION_DENIED" and read.rights:
            reason += f" (needs {read.rights})"
        return reason
    return f"{type(error).__name__}: {error}"


def read_all(
    planned: Iterable[Read],
    workers: int,
    on_planned: Callable[[int], None] | None = None,
    on_done: Callable[[Read], None] | None = None,
) -> LiveState:
    """Run the reads, and those they call for, on a bounded pool; the SDK retries 429 and 503
    within its retry timeout. Completions arrive on a queue, one at a time: waiting on all
    pending futures at once would cost a pass over every one of them per completion."""
    state = LiveState()
    finished: SimpleQueue[tuple[Read, Future[Any]]] = SimpleQueue()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = 0

        def submit(reads: Iterable[Read]) -> None:
            nonlocal pending
            for read in reads:
                future = pool.submit(read.fetch)
                future.add_done_callback(lambda f, r=read: finished.put((r, f)))
                pending += 1
                state.reads += 1
            if on_planned:
                on_planned(state.reads)

        submit(planned)
        while pending:
            read, future = finished.get()
            pending -= 1
            try:
                result = future.result()
            except Exception as error:  # every failure is reported; the audit fails closed
                state.unreadable[read.key] = f"{read.what}: {_reason(read, error)}"
            else:
                state.facts[read.key] = result
                if read.then:
                    submit(read.then(result))
            if on_done:
                on_done(read)
    return state
