"""The `Droid` protocol: what every droid, built-in or third-party, provides."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from droids.core.card import DroidCard
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.progress import ProgressSink, Step, silent
from droids.core.workspace import Workspace


@dataclass(frozen=True)
class DroidContext:
    """What a run gives every droid besides the task: where state may be kept between runs (caches,
    incremental scan marks) and the run's one `Workspace` (files, parsed Python, the change)."""

    state_dir: Path
    progress: ProgressSink = silent
    _workspaces: dict[int, Workspace] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def step(self, droid: str, check: str) -> Step:
        """A progress reporter for one check: `step(done, total, unit)`."""
        return lambda done, total, unit: self.progress(droid, check, done, total, unit)

    def cache_dir(self, droid: str) -> Path:
        path = self.state_dir / "cache" / droid
        path.mkdir(parents=True, exist_ok=True)
        return path

    def close(self) -> None:
        """End what the run's workspaces hold open (their git reader)."""
        with self._lock:
            for workspace in self._workspaces.values():
                workspace.close()
            self._workspaces.clear()

    def workspace(self, task: Task) -> Workspace:
        """The workspace of `task`, made on first use and shared by every droid of the run."""
        with self._lock:
            found = self._workspaces.get(id(task))
            if found is None or found.task is not task:
                found = self._workspaces[id(task)] = Workspace(task)
            return found


@runtime_checkable
class Droid(Protocol):
    """A droid: a card (identity, triggers, paths, rules), its rule specs, and `run`.

    `run` returns a `DroidReport` with findings; it raises `DroidError` for bad input it cannot
    judge (the run then exits 2) and anything else is reported as an internal error (exit 3).
    Heavy imports belong inside `run`, so that listing droids stays instant.
    """

    CARD_PATH: ClassVar[Path]
    card: DroidCard

    def rules(self) -> tuple[RuleSpec, ...]: ...

    def run(self, task: Task, ctx: DroidContext) -> DroidReport: ...


class BaseDroid:
    """Convenience base for built-ins: keeps the card and returns the class's `RULES`."""

    CARD_PATH: ClassVar[Path]
    RULES: ClassVar[tuple[RuleSpec, ...]] = ()

    def __init__(self, card: DroidCard) -> None:
        self.card = card

    def rules(self) -> tuple[RuleSpec, ...]:
        return self.RULES
