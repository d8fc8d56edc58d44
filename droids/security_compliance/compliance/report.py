"""`droid security report [--out DIR] [--since DATE]`: the compliance report, in Markdown and HTML.

One page for a reviewer or an auditor, built only from what the project already records:

- the audit trail's verify status (hash chain intact or the first broken entry) and the gate and
  audit runs of the period by verdict;
- the Apex rules in force: the default rule set and account of policies/apex.yaml as the trading
  core loads them (trailing drawdown, warning levels, contracts, deadline and entry cutoff,
  consistency, daily loss limit);
- the adversarial scenario results of the compliance-validation check (`.droid/compliance/
  scenarios.json`), or "not run";
- protected-parameter changes and who approved them (trail entries of kind "approval");
- halts and kill-switch events of the trading core (kinds "halt" and "kill_switch", by event time);
- open secret and SAST findings by age, from the audit reports under .droid/reports/
  (compliance_sources.py says why and how).

`since` (YYYY-MM-DD, or ISO-8601 UTC ending in Z) limits approvals, halts and runs to the period;
None covers the whole trail. Nothing here writes to the trail or runs a scan.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from droids.core import git
from droids.core.audit.trail import AuditRecord, NoAuditTrail, open_store
from droids.core.errors import DroidError
from droids.security_compliance.compliance.render import Document, Section, Table, to_html, to_markdown
from droids.security_compliance.compliance.sources import AGE_BUCKETS, FAMILIES, open_findings, read_scenarios

REPORT_FILES = ("report.md", "report.html")
_SINCE = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?Z)?")


def default_out_dir(repo: Path, now: datetime | None = None) -> Path:
    """`.droid/compliance/<UTC time>/`."""
    return repo / ".droid" / "compliance" / (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def write_compliance_report(
    repo: Path, policies: Path, out_dir: Path, since: str | None = None, *, now: datetime | None = None
) -> list[Path]:
    """Write report.md and report.html into `out_dir`; return their paths."""
    doc = build_report(repo, policies, since, now=now or datetime.now(UTC))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = [out_dir / name for name in REPORT_FILES]
        paths[0].write_text(to_markdown(doc), encoding="utf-8")
        paths[1].write_text(to_html(doc), encoding="utf-8")
    except OSError as exc:
        raise DroidError(f"--out {out_dir}: cannot write the compliance report ({exc.strerror})") from None
    return paths


def build_report(
    repo: Path, policies: Path, since: str | None, *, now: datetime, reports: Sequence[Path] | None = None
) -> Document:
    """The report's sections; `reports` are the audit report.json files to date findings by
    (default: those under .droid/reports/)."""
    if since is not None and not _valid_since(since):
        raise DroidError(f"--since {since}: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ")
    trail, records, location = _trail(repo, since)
    in_period = [r for r in records if since is None or r.time >= since]
    head = git.head(repo)
    meta = [
        f"repository: {repo}",
        f"generated: {now.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"period: {'since ' + since if since else 'the whole audit trail'}",
        f"HEAD: {head or 'no commit'}",
        f"audit trail: {location}",
    ]
    from droids.security_compliance.compliance.apex_section import apex_section  # trading_core only when reporting

    sections = [
        trail,
        apex_section(policies),
        _scenarios(repo),
        _approvals(in_period),
        _halts(records, since),
        _findings(repo, now, reports),
    ]
    return Document("Compliance report", meta, sections)


def _valid_since(since: str) -> bool:
    if not _SINCE.fullmatch(since):
        return False
    try:
        datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _trail(repo: Path, since: str | None) -> tuple[Section, list[AuditRecord], str]:
    section = Section("Audit trail")
    try:
        store = open_store(repo, create=False)
    except NoAuditTrail as exc:
        section.status, section.lines = "none", ["No audit trail yet: nothing has been gated or audited."]
        return section, [], str(exc).split(": no audit trail")[0]
    with store:
        result, location = store.verify(), store.location
        try:
            records = store.records()
        except DroidError as exc:
            records = []
            section.lines.append(f"Entries cannot be listed: {exc}")
    if result.ok:
        section.status = "ok"
        section.lines.insert(
            0, f"Hash chain intact: {result.count} entries, newest {result.newest_seq} {result.newest_hash}."
        )
    else:
        section.status = "attention"
        section.lines.insert(0, f"Hash chain BROKEN: {result.reason}. Run `droid audit-log verify` and investigate.")
    runs = Counter(
        (r.kind, r.verdict) for r in records if r.kind in ("gate", "audit") and (not since or r.time >= since)
    )
    if runs:
        rows = [(kind, verdict, str(n)) for (kind, verdict), n in sorted(runs.items())]
        section.tables.append(Table(("run", "verdict", "entries in the period"), rows))
    else:
        section.lines.append("No gate or audit runs in the period.")
    return section, records, location


def _scenarios(repo: Path) -> Section:
    section = Section("Scenario results")
    found = read_scenarios(repo)
    if found is None:
        section.status, section.lines = "none", ["not run: no .droid/compliance/scenarios.json (compliance validation)"]
        return section
    written, results = found
    failed = [s for s in results if not s.passed]
    section.status = "attention" if failed or not results else "ok"
    section.lines.append(f"{len(results) - len(failed)} of {len(results)} scenarios passed (results of {written}).")
    rows = [
        (s.name, "pass" if s.passed else "FAIL", s.days, str(s.violations), ", ".join(s.rules) or "-",
         ", ".join(s.exempt) or "-")
        for s in sorted(results, key=lambda s: (s.passed, s.name))
    ]  # fmt: skip
    headers = ("scenario", "result", "days", "violations", "rules broken", "exempt rules")
    section.tables.append(Table(headers, rows))
    return section


def _approvals(records: list[AuditRecord]) -> Section:
    section = Section("Protected-parameter changes and approvals")
    approvals = [r for r in records if r.kind == "approval"]
    if not approvals:
        section.lines.append("No protected-parameter change was approved in the period.")
        return section
    rows = []
    for r in approvals:
        d = r.details
        where = f"{d.get('path', '?')}:{d['key']}" if d.get("key") else str(d.get("path", "?"))
        commit = str(d.get("commit") or "-")[:12]
        change = f"{d.get('old', '?')} -> {d.get('new', '?')}"
        rows.append((r.time, where, change, str(d.get("approver", "?")), str(d.get("via", "?")), commit, r.who))
    section.lines.append(f"{len(rows)} approved changes.")
    section.tables.append(
        Table(("recorded", "parameter", "old -> new", "approved by", "via", "commit", "gate run by"), rows)
    )
    return section


def _halts(records: list[AuditRecord], since: str | None) -> Section:
    section = Section("Halts and kill-switch events")
    events = [
        r
        for r in records
        if r.kind in ("halt", "kill_switch") and (since is None or str(r.details.get("ts", r.time)) >= since)
    ]
    if not events:
        section.lines.append("No halt or kill-switch event was ingested for the period (`droid audit-log ingest`).")
        return section
    kills = sum(r.kind == "kill_switch" for r in events)
    section.status = "attention" if kills else None
    section.lines.append(f"{len(events) - kills} halts, {kills} kill-switch events.")
    rows = [
        (
            str(r.details.get("ts", r.time)),
            r.kind,
            str(r.details.get("rule") or "-"),
            str(r.details.get("state", "?")),
            str(r.details.get("reason", "")),
            str(r.seq),
        )
        for r in sorted(events, key=lambda r: str(r.details.get("ts", r.time)))
    ]
    section.tables.append(Table(("time (UTC)", "event", "rule", "state after", "reason", "trail entry"), rows))
    return section


def _findings(repo: Path, now: datetime, reports: Sequence[Path] | None) -> Section:
    section = Section("Open secret and SAST findings by age")
    found = open_findings(repo, now, reports)
    if found.source is None:
        section.status = "none"
        section.lines.append("No audit report under .droid/reports/: run `droid audit` first.")
        section.lines += found.notes
        return section
    section.status = "attention" if found.findings else "ok"
    shown = found.source.relative_to(repo) if found.source.is_relative_to(repo) else found.source
    section.lines.append(f"From the newest audit report, {shown} ({found.started_at}).")
    section.lines += found.notes
    by = Counter((f.family, f.bucket) for f in found.findings)
    labels = [label for _, label in AGE_BUCKETS]
    rows = [
        (family, *(str(by[family, label]) for label in labels), str(sum(by[family, x] for x in labels)))
        for family in FAMILIES
    ]
    section.tables.append(Table(("family", *labels, "open"), rows))
    if found.findings:
        rows = [
            (f.family, f.rule, f.severity, f.where, f.first_seen, str(f.age_days), f.message) for f in found.findings
        ]
        section.tables.append(
            Table(("family", "rule", "severity", "where", "first seen", "age (days)", "message"), rows)
        )
    return section
