"""The morning report's Markdown form (report.md of an audit, `$GITHUB_STEP_SUMMARY`) and its short
Slack and email texts: the same summary as the page, without the charts.

Every value from a finding or a section is escaped (orchestrator.render.markdown), so a `|`, `<` or
a newline in it can break neither a table nor the page GitHub renders.
"""

from __future__ import annotations

from orchestrator.morning.build import MorningReport
from orchestrator.render._common import SEVERITIES_DESC, VERDICT_WORDS, location, verdict_reason
from orchestrator.render.markdown import code, droids_lines, escape, findings_lines
from orchestrator.render.morning_page import MAX_LISTED, STATUS_WORDS


def render(m: MorningReport) -> str:
    r = m.current
    if r is None:
        lines = [f"## droid morning report: {escape(m.repo.name)}", "",
                 "No audit report is stored under .droid/reports/ yet: run `droid audit`.", ""]  # fmt: skip
    else:
        counts = r.summary()
        lines = [
            f"## droid morning report: {VERDICT_WORDS[r.verdict]}",
            "",
            f"{escape(verdict_reason(r))}. Blocking threshold: {r.block_at.value}. Audit started {r.started_at}.",
            "",
            " · ".join(f"{counts[s.value]} {s.value}" for s in SEVERITIES_DESC),
            "",
        ]
        lines += _since(m)
    lines += ["### The droids' sections", ""]
    for s in m.sections:
        lines.append(f"- **{escape(s.title)}** ({STATUS_WORDS[s.status]}): {escape(s.headline)}")
    lines += ["", "_Charts and every table: report.html beside this file._", ""]
    if r is not None:
        lines += findings_lines(r) + droids_lines(r)
    return "\n".join(lines).rstrip("\n") + "\n"


def _since(m: MorningReport) -> list[str]:
    c = m.changes
    if c is None:
        return ["### Since the previous audit", "", "First audit stored here: nothing to compare with.", ""]
    how = "by fingerprint" if c.exact else "by rule counts from the audit trail"
    lines = [f"### Since the previous audit ({c.previous_at}, {how}): +{c.new_total} new, -{c.fixed_total} fixed", ""]
    lines += ["| droid | open now | new | fixed | note |", "|---|---:|---:|---:|---|"]
    for d in c.droids:
        new, fixed = d.shown()
        lines.append(f"| {escape(d.droid)} | {d.open_now} | {new} | {fixed} | {escape(d.note) or '-'} |")
    lines.append("")
    if c.exact:
        for title, found in (("New", [f for d in c.droids if d.compared for f in d.new]),
                             ("Fixed", [f for d in c.droids if d.compared for f in d.fixed])):  # fmt: skip
            if found:
                lines += [f"{title}:", ""]
                for f in found[:MAX_LISTED]:
                    where = f" {code(location(f))}" if f.path else ""
                    gone = " (suppressed since)" if f.fingerprint in c.now_suppressed else ""
                    lines.append(f"- {code(f.rule)}{where}: {escape(f.message)}{gone}")
                if len(found) > MAX_LISTED:
                    lines.append(f"- ... {len(found) - MAX_LISTED} more in report.json")
                lines.append("")
    return lines


def slack_text(m: MorningReport, page: str) -> str:
    """A few plain lines for a Slack channel: verdict, changes, the sections that need attention."""
    r = m.current
    head = f"droid morning report, {m.repo.name}: "
    head += f"{VERDICT_WORDS[r.verdict]} ({verdict_reason(r)})" if r else "no audit stored yet"
    lines = [head]
    if m.changes is not None:
        moved = [f"{d.droid} +{d.new_count}/-{d.fixed_count}" for d in m.changes.droids
                 if d.compared and (d.new_count or d.fixed_count)]  # fmt: skip
        lines.append(
            f"Since the previous audit ({m.changes.previous_at}): +{m.changes.new_total} new, "
            f"-{m.changes.fixed_total} fixed" + (f" ({'; '.join(moved)})" if moved else "")
        )
    for s in m.sections:
        if s.status == "attention":
            lines.append(f"{s.title}: {s.headline}")
    lines.append(f"Page: {page}")
    return "\n".join(lines)[:3500]


def email_subject(m: MorningReport) -> str:
    verdict = VERDICT_WORDS[m.current.verdict] if m.current else "no audit yet"
    return f"droid morning report {m.repo.name}: {verdict} ({m.generated:%Y-%m-%d})"
