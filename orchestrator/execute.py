"""Run a task end to end: policy, baseline, graph, audit-trail entry, exit code."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from droids.core import git
from droids.core.errors import DroidError
from droids.core.models import RunReport, Task
from droids.core.policy import GatesPolicy
from droids.core.progress import ProgressSink, silent
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from orchestrator.graph import run_task
from orchestrator.resolve import load_baseline
from orchestrator.routing import RoutingFallback


def execute(
    task: Task,
    registry: Registry,
    gates: GatesPolicy,
    state_dir: Path,
    *,
    only: str | None = None,
    record: bool = False,
    progress: ProgressSink = silent,
    fallback: RoutingFallback | None = None,
) -> RunReport:
    """Run `task`; with `record`, append the verdict to the audit trail (never on bad input).
    `progress` hears which droid runs which check and how far it is (the live display); `fallback`
    routes a question no trigger matched (graph.route_task)."""
    baseline = load_baseline(task.repo / gates.baseline)
    ctx = DroidContext(state_dir=state_dir, progress=progress)
    try:
        report = run_task(task, registry, gates, ctx, baseline, only=only, fallback=fallback)
    finally:
        ctx.close()
    bad = [d for d in report.droids if d.bad_input]
    if bad:
        raise DroidError(bad[0].error or f"{bad[0].name}: bad input")
    if record:
        _record(report, task)
    return report


def _record(report: RunReport, task: Task) -> None:
    """The verdict entry, then each droid's audit events (e.g. approvals), in one store session.

    Events are facts about what the run let through, so a blocked run writes none: an approval of
    a change that was refused would read as if the change landed. Each event names its run's entry
    (`details.run` = that seq), since other writers may append in between. The report quotes the
    verdict entry's seq:hash as `audit_entry` (the anchor) and each event's under `audit_events`."""
    from droids.core.audit.trail import open_store, who

    counts = Counter(f.rule for f in report.active())
    head = task.targets.head if task.targets.kind in ("staged", "base") else git.head(task.repo)
    run = {"profile": report.profile, "who": who(task.repo), "head": head}
    events = [] if report.verdict == "block" else [e for droid in report.droids for e in droid.audit_events]
    with open_store(task.repo) as store:
        entry = store.append(
            kind=report.mode,
            verdict=report.verdict,
            counts=dict(sorted(counts.items())),
            details={"droids": {d.name: d.status for d in report.droids}},
            **run,
        )
        report.extra["audit_entry"] = {"seq": entry.seq, "hash": entry.hash}
        if events:
            written = [
                store.append(kind=e.kind, verdict=e.verdict, counts={}, details={**e.details, "run": entry.seq}, **run)
                for e in events
            ]
            report.extra["audit_events"] = [{"seq": w.seq, "hash": w.hash, "kind": w.kind} for w in written]


def exit_code(report: RunReport) -> int:
    """3 when a droid failed (fail closed), 1 when blocked, else 0."""
    if report.failed_droids():
        return 3
    return 1 if report.verdict == "block" else 0
