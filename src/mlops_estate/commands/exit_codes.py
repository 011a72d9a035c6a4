"""The exit codes every `estate` command shares."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    """Everything was checked and nothing is wrong."""
    VIOLATION = 1
    """A mandatory rule is violated, or the live estate drifted from the declared one."""
    INVALID = 2
    """No verdict: bad input, a program error, or something that could not be read."""
