"""The security droid's section of the morning report: the compliance report, plus what a desk lead
reads first (open secret and SAST findings by age, as a chart; secrets in git history).

The compliance report (`droid security report`, compliance/report.py) becomes this section's
blocks, in the order a reader wants them: open findings by age, secrets in history (SEC002 findings
of the newest audit report: which commit added each, whether it is still at HEAD; never a value),
approved protected changes of the period, then the audit trail's status, halts and kill-switch
events, scenario results and the Apex rules in force. `droid security report` stays available alone.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from droids.core.report_section import BarChart, Block, ReportSection, SectionContext, Series, Table
from droids.security_compliance.compliance.render import Section
from droids.security_compliance.compliance.sources import AGE_BUCKETS, DROID, FAMILIES, OpenFindings, open_findings

TITLE = "Security and compliance"
_ORDER = (
    "Open secret and SAST findings by age",
    "Protected-parameter changes and approvals",
    "Audit trail",
    "Halts and kill-switch events",
    "Scenario results",
)


def build(ctx: SectionContext) -> list[ReportSection]:
    from droids.security_compliance.compliance.report import build_report

    reports = list(ctx.audit_reports)
    doc = build_report(ctx.repo, ctx.policies, ctx.since_iso, now=ctx.now, reports=reports)
    parts = {s.title: s for s in doc.sections}
    found = open_findings(ctx.repo, ctx.now, reports)
    history = _history_block(reports[-1] if reports else None)
    blocks = [_block(parts[_ORDER[0]], charts=_age_chart(found)), history]
    blocks += [_block(parts[t]) for t in _ORDER[1:] if t in parts]
    blocks += [_block(s) for s in doc.sections if s.title not in _ORDER]
    attention = any(b.status == "attention" for b in blocks)
    headline = _headline(found, blocks)
    return [ReportSection("security", DROID, TITLE, "attention" if attention else "ok", headline, blocks)]


def _block(section: Section, charts: list[Any] | None = None) -> Block:
    return Block(
        heading=section.title,
        status=section.status,  # type: ignore[arg-type]
        lines=list(section.lines),
        tables=[Table(t.headers, tuple(tuple(r) for r in t.rows)) for t in section.tables],
        charts=charts or [],
    )


def _age_chart(found: OpenFindings) -> list[Any]:
    if not found.findings:
        return []
    by = Counter((f.family, f.bucket) for f in found.findings)
    labels = tuple(label for _, label in AGE_BUCKETS)
    series = tuple(Series(family, tuple(float(by[family, b]) for b in labels)) for family in FAMILIES)
    return [BarChart("Open secret and SAST findings by age", labels, series, y_label="open findings")]


def _history_block(newest: Path | None) -> Block:
    block = Block("Secrets in git history (SEC002)")
    if newest is None:
        block.status = "none"
        block.lines.append("No audit report: `droid audit` scans the history (SEC002).")
        return block
    try:
        doc = json.loads(newest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        block.status = "none"
        block.lines.append(f"{newest}: not readable JSON ({exc.__class__.__name__}); history not shown.")
        return block
    listed = doc.get("findings", [])
    findings = [f for f in listed if isinstance(f, dict) and f.get("rule") == "SEC002" and not f.get("suppressed")]
    status = next((d.get("status") for d in doc.get("droids", []) if d.get("name") == DROID), None)
    if status != "ok":
        block.lines.append(
            f"The {DROID} droid's status in the newest audit was {status or 'absent'}: may be incomplete."
        )
    if not findings:
        block.status = "ok" if status == "ok" else "none"
        block.lines.insert(0, "No secret in any commit reachable from a ref (newest audit).")
        return block
    at_head = sum(bool(f.get("still_at_head")) for f in findings)
    block.status = "attention"
    block.lines.insert(
        0,
        f"{len(findings)} secrets in git history, {at_head} still at HEAD: rotate each one (a clone keeps the commit).",
    )
    rows = tuple(
        (
            str(f.get("severity", "")),
            f"{f.get('path') or '-'}" + (f":{f['line']}" if f.get("line") else ""),
            str(f.get("commit") or "-")[:10],
            str(f.get("date") or "-")[:10],
            "yes" if f.get("still_at_head") else "no",
            ", ".join(f.get("secret_types") or []) or str(f.get("title", "")),
        )
        for f in findings
    )
    block.tables.append(Table(("severity", "where", "added by", "on", "still at HEAD", "kind"), rows))
    return block


def _headline(found: OpenFindings, blocks: list[Block]) -> str:
    by = {b.heading: b for b in blocks}
    parts = []
    if found.source is None:
        parts.append("no audit report yet")
    else:
        oldest = max((f.age_days for f in found.findings), default=None)
        parts.append(
            f"{len(found.findings)} open secret/SAST findings" + (f" (oldest {oldest} days)" if oldest else "")
        )
    history = by["Secrets in git history (SEC002)"]
    if history.tables:
        parts.append(history.lines[0].split(":")[0])
    approvals = by.get("Protected-parameter changes and approvals")
    if approvals is not None:
        n = len(approvals.tables[0].rows) if approvals.tables else 0
        parts.append(f"{n} approved protected change{'s' if n != 1 else ''} in the period")
    trail = by.get("Audit trail")
    if trail is not None:
        parts.append(
            {"ok": "audit trail intact", "attention": "AUDIT TRAIL BROKEN"}.get(trail.status or "", "no trail")
        )
    return "; ".join(parts) + "."
