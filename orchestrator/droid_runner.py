"""Run one droid under a time limit, turning every failure into a report instead of a crash.

Droids are synchronous and often CPU-bound, so cooperative (asyncio) cancellation cannot stop them.
Each runs in a daemon thread that the orchestrator stops waiting for at the limit: the run reports
`timeout`, the other droids still report, and the process can exit without joining the thread.
"""

from __future__ import annotations

import threading
import time

from droids.core.checks import write_traceback
from droids.core.errors import DroidError
from droids.core.models import DroidReport, Task
from droids.core.protocol import Droid, DroidContext
from trading_core.errors import TradingCoreError


def run_with_limit(droid: Droid, task: Task, ctx: DroidContext, limit_s: float) -> DroidReport:
    name = droid.card.name
    box: dict[str, DroidReport] = {}

    def target() -> None:
        box["report"] = _run_guarded(droid, task, ctx)

    started = time.perf_counter()
    worker = threading.Thread(target=target, name=f"droid-{name}", daemon=True)
    worker.start()
    worker.join(limit_s)
    elapsed = int((time.perf_counter() - started) * 1000)
    if worker.is_alive():
        return DroidReport(
            name=name, status="timeout", duration_ms=elapsed, error=f"exceeded its time limit of {limit_s:g} s"
        )
    report = box["report"]
    report.name = name
    report.duration_ms = report.duration_ms or elapsed
    return report


def _run_guarded(droid: Droid, task: Task, ctx: DroidContext) -> DroidReport:
    name = droid.card.name
    started = time.perf_counter()
    try:
        report = droid.run(task, ctx)
    except (DroidError, TradingCoreError) as exc:
        return DroidReport(name=name, status="error", error=str(exc), bad_input=True)
    except Exception as exc:
        log = write_traceback(ctx.state_dir, name)
        return DroidReport(
            name=name,
            status="error",
            error=f"internal error: {exc.__class__.__name__}: {exc} (traceback in {log})",
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
    if not isinstance(report, DroidReport):
        return DroidReport(name=name, status="error", error=f"run() returned {type(report).__name__}, not DroidReport")
    return report
