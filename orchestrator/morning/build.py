"""Assemble the morning report from stored results: the audit, the one before it, the droids' sections.

Which audit is *previous*: with `since`, the newest audit started before it; otherwise the audit
before the report's own. The audit trail decides when it can (its "audit" entries, in seq order; each
stored report quotes its entry as `audit_entry`), since it also knows audits whose report folder is
not here; the stored reports decide when there is no trail. The period the sections cover (approvals,
deploys, alerts) starts at `since`, else at the previous audit.

Each droid's section comes from its "report-section" service (its MANIFEST), called through the
registry, side by side in threads. A section that fails does not take the page down: bad input
(DroidError, TradingCoreError) shows its one-line message in the section's place; anything else is
logged with its traceback under .droid/logs/ and named there.
"""

from __future__ import annotations

import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.manifest import load
from droids.core.models import RunReport, Severity
from droids.core.registry import Registry
from droids.core.report_section import SECTION_SERVICE, ReportSection, SectionContext, iso
from orchestrator.morning.changes import Changes, by_counts, by_fingerprint
from orchestrator.morning.stored import StoredAudit, run_report, stored_audits
from trading_core.errors import TradingCoreError

ORDER = ("security", "risk", "performance", "data", "monitoring", "devops")


@dataclass
class SectionProblem:
    droid: str
    message: str
    bad_input: bool  # True: the droid's one-line bad-input error; False: a crash (traceback logged)


@dataclass
class MorningReport:
    repo: Path
    generated: datetime
    current: RunReport | None
    current_path: Path | None
    changes: Changes | None
    since: datetime | None  # start of the period the sections cover
    sections: list[ReportSection]
    problems: list[SectionProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_morning(
    repo: Path,
    policies: Path,
    state_dir: Path,
    registry: Registry,
    block_at: Severity,
    *,
    current: RunReport | None = None,
    current_path: Path | None = None,
    since: datetime | None = None,
    now: datetime | None = None,
) -> MorningReport:
    """`current`: the audit just run (its report.json at `current_path`); None: the newest stored one."""
    now = now or datetime.now(UTC)
    audits, notes = stored_audits(state_dir, current_path)
    mine = next((a for a in audits if current_path and a.path.resolve() == current_path.resolve()), None)
    if current is None and audits:
        mine = audits[-1]
        current, current_path = run_report(mine, block_at), mine.path
    trail = _trail_audits(repo, notes)
    changes, previous_at = None, None
    if current is not None:
        changes, previous_at = _changes(current, mine, audits, trail, registry, block_at, since, notes)
    period = since or previous_at
    reports = tuple(a.path for a in audits if mine is None or a.started_at <= mine.started_at)
    ctx = SectionContext(repo, policies, state_dir, now, period, reports)
    sections, problems = _sections(ctx, registry)
    return MorningReport(repo, now, current, current_path, changes, period, sections, problems, notes)


def _trail_audits(repo: Path, notes: list[str]) -> list[Any] | None:
    """The trail's "audit" entries, oldest first; None when there is no trail."""
    from droids.core.audit.trail import NoAuditTrail, open_store

    try:
        with open_store(repo, create=False) as store:
            return [r for r in store.records() if r.kind == "audit"]
    except NoAuditTrail:
        return None
    except DroidError as exc:
        notes.append(f"the audit trail could not be read ({exc}): the previous audit is found from stored reports")
        return None


def _changes(
    current: RunReport,
    mine: StoredAudit | None,
    audits: list[StoredAudit],
    trail: list[Any] | None,
    registry: Registry,
    block_at: Severity,
    since: datetime | None,
    notes: list[str],
) -> tuple[Changes | None, datetime | None]:
    started = _instant(current.started_at)
    limit = since or started
    anchor = current.extra.get("audit_entry") or {}
    seq = anchor.get("seq") if isinstance(anchor, dict) else None
    earlier = [a for a in audits if a is not mine and a.started_at < limit]
    entry = None
    if trail:
        # the run's own entry is known by seq: the one before it is previous (its time is when it ended);
        # with --since, or a report without its entry, the newest recorded before the limit
        cut = iso(limit) if since or seq is None else None
        entry = next(
            (r for r in reversed(trail) if (cut is None or r.time < cut) and (seq is None or r.seq < seq)), None
        )
    if entry is not None:
        stored = next((a for a in earlier if a.anchor == (entry.seq, entry.hash)), None)
        if stored is not None:
            return by_fingerprint(current, run_report(stored, block_at), entry.seq), stored.started_at
        if any(a.anchor and a.anchor[0] == entry.seq for a in earlier):
            notes.append(f"the stored report of audit-trail entry {entry.seq} does not match the trail (hash differs)")
        owner = {r.id: r.droid for r in registry.rules()}
        statuses = (entry.details or {}).get("droids") or {}
        at = _instant(entry.time)
        return by_counts(current, entry.counts, owner, entry.time, entry.seq, statuses), at
    if earlier:
        previous = earlier[-1]
        return by_fingerprint(current, run_report(previous, block_at)), previous.started_at
    return None, None


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _sections(ctx: SectionContext, registry: Registry) -> tuple[list[ReportSection], list[SectionProblem]]:
    names = {f"{type(d).__module__}:{type(d).__qualname__}": d.card.name for d in registry}
    builders = [(names.get(m.droid, m.package), m.services[SECTION_SERVICE]) for m in registry.manifests
                if SECTION_SERVICE in m.services]  # fmt: skip
    sections: list[ReportSection] = []
    problems: list[SectionProblem] = []
    with ThreadPoolExecutor(max_workers=min(4, max(1, len(builders)))) as pool:
        futures = [(droid, pool.submit(_call, target, ctx)) for droid, target in builders]
    for droid, future in futures:
        result = future.result()
        if isinstance(result, SectionProblem):
            result.droid = droid
            problems.append(result)
            say = result.message if result.bad_input else f"internal error: {result.message}"
            sections.append(
                ReportSection(f"problem-{droid}", droid, f"{droid}: section not available", "attention", say)
            )
        else:
            sections += result
    return sorted(sections, key=_order), problems


def _call(target: str, ctx: SectionContext) -> list[ReportSection] | SectionProblem:
    try:
        return list(load(target)(ctx))
    except (DroidError, TradingCoreError) as exc:
        return SectionProblem("", str(exc), True)
    except Exception as exc:  # a bug in one droid's section must not take the page down
        log = _log(ctx.state_dir, traceback.format_exc())
        return SectionProblem("", f"{exc.__class__.__name__}: {exc} (traceback in {log})", False)


def _log(state_dir: Path, text: str) -> Path:
    logs = state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-report-section.log"
    path.write_text(text, encoding="utf-8")
    return path


def _order(section: ReportSection) -> tuple[int, str]:
    return (ORDER.index(section.key) if section.key in ORDER else len(ORDER), section.title)
