"""What an audit finds: drift (the verdict), and notes that are shown but decide nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DriftKind = Literal["live, not declared", "declared, not live", "differs"]


@dataclass(frozen=True, order=True)
class Drift:
    kind: DriftKind
    what: str
    detail: str


@dataclass(frozen=True, order=True)
class Note:
    """An implicit entry of the platform, something that could widen access, or how the
    stacks meet: listed for the auditor, out of the verdict."""

    what: str
    detail: str


@dataclass
class Findings:
    """Everything one stack's comparison finds."""

    drift: list[Drift] = field(default_factory=list)
    implicit: list[Note] = field(default_factory=list)
    """The platform's own entries: the admins group's access, its system catalogs."""
    exposure: list[Note] = field(default_factory=list)
    """What could widen access, declared or not: reachable securables, workspace admins,
    the users group's entitlements, tokens and secrets, Personal Compute users."""
    cross_stack: list[Note] = field(default_factory=list)
    """How this stack meets the other: the promotion path."""

    def extend(self, other: Findings) -> None:
        self.drift += other.drift
        self.implicit += other.implicit
        self.exposure += other.exposure
        self.cross_stack += other.cross_stack
