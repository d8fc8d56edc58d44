"""Progress of a run, for the live display on a terminal: which droid runs which check, how far.

A droid's checks report through `DroidContext.progress(droid, check, done, total, unit)`; the
orchestrator shows it on stderr when stderr is a terminal, and nowhere otherwise. `run_checks` says
when each check starts; long checks say how far they are (files of a scan, commits of history,
simulated scenarios, benchmark runs). Reporting costs a function call: checks report per batch,
never per line.
"""

from __future__ import annotations

from collections.abc import Callable

# (droid, check, done, total, unit): total 0 means "started, size unknown"
ProgressSink = Callable[[str, str, int, int, str], None]
Step = Callable[[int, int, str], None]  # (done, total, unit), for one droid's one check


def silent(droid: str, check: str, done: int, total: int, unit: str) -> None:
    """The sink when nobody watches (a pipe, --quiet, tests)."""


def quiet_step(done: int, total: int, unit: str) -> None:
    """A `Step` that reports nowhere, for callers outside a run."""
