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
    _validate_policies(task, registry)
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


def _validate_policies(task: Task, registry: Registry) -> None:
    """Every policy file the run may read, checked before a droid runs (a pre-commit gate: the ones
    it changes). A malformed file stops the run with one line (exit 2)."""
    from droids.core.policy_files import validate_for_run
    from trading_core.errors import TradingCoreError

    only = None
    if task.profile == "pre-commit":
        rel = task.policies.resolve()
        changed = {(task.repo / p).resolve() for p in task.targets.paths}
        only = frozenset(p.name for p in changed if p.parent == rel)
        if not only:
            return
    try:
        validate_for_run(registry.policy_files(), task.policies, task.repo, only)
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None


def _record(report: RunReport, task: Task) -> None:
    """The verdict entry, then each droid's audit events (e.g. approvals), in one store session.

    Events are facts about what the run let through, so a blocked run writes none: an approval of
    a change that was refused would read as if the change landed. Each event names its run's entry
    (`details.run` = that seq), since other writers may append in between. The report quotes the
    verdict entry's seq:hash as `audit_entry` (the anchor) and each event's under `audit_events`.
    A trail that is gone or whose anchored entry is missing or changed is refused (AuditTrailGone,
    AuditTrailBroken: exit 2): the run fails closed rather than write a new trail over it."""
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
        if store.anchor_note:  # the entry is written; only this machine's check of the trail is weaker
            report.notes.append(
                f"audit trail: {store.anchor_note}; a deletion of the newest entries would go unnoticed on this "
                "machine (set XDG_STATE_HOME to a writable folder)"
            )


def exit_code(report: RunReport) -> int:
    """3 when a droid failed (fail closed), 1 when blocked, else 0."""
    if report.failed_droids():
        return 3
    return 1 if report.verdict == "block" else 0
