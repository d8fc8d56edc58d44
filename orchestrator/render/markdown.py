"""Markdown for `$GITHUB_STEP_SUMMARY` and report.md: verdict, counts, findings, droids, routing.

Every value that comes from a finding is escaped, so a `|` or a newline in a message cannot break
the table and `<`, `*`, `_` or `[` cannot turn into HTML, emphasis or links. GitHub caps a step
summary at 1 MiB, so the findings table stops after `MAX_ROWS` rows and says how many it left out.
"""

from __future__ import annotations

import re

from droids.core.models import Finding, RunReport
from orchestrator.render._common import (
    SEVERITIES_DESC,
    VERDICT_WORDS,
    RuleGroup,
    by_severity,
    droid_problem,
    findings_per_droid,
    location,
    rule_groups,
    run_label,
    suppressed,
    verdict_reason,
)

MAX_ROWS = 1000

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that mean something.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")


def escape(text: str) -> str:
    """Plain text safe inside a table cell: punctuation escaped, newlines as `<br>`."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    return "<br>".join(escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def code(text: str) -> str:
    """An inline code span safe inside a table cell (backslashes are literal in code spans)."""
    text = " ".join(text.splitlines()).replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _why(f: Finding) -> str:
    message = escape(f.message)
    return message + (f" (evidence {code(f.evidence)})" if f.evidence else "")


def _group(group: RuleGroup, budget: int) -> list[str]:
    """A rule's heading with its count, the fix once, and one table row per finding (up to `budget`)."""
    lines = [f"#### {group.severity.value} · {code(group.rule)} {escape(group.title)} ({len(group.findings)})", ""]
    if group.fix:
        lines += [f"Fix: {escape(group.fix)}", ""]
    lines += ["| location | message |", "|---|---|"]
    for f in group.findings[:budget]:
        where = code(location(f)) if f.path else "-"
        sev = f"{f.severity.value}: " if group.mixed else ""
        lines.append(f"| {where} | {sev}{_why(f)} |")
    return [*lines, ""]


def _apart(title: str, findings: list[Finding]) -> list[str]:
    """Findings that do not count (pre-existing, suppressed): listed apart, plain, with why."""
    if not findings:
        return []
    lines = [f"### {title} ({len(findings)})", "", "| rule | location | message | why |", "|---|---|---|---|"]
    for f in by_severity(findings)[:MAX_ROWS]:
        where = code(location(f)) if f.path else "-"
        why = escape(f.suppression or "not touched by this change")
        lines.append(f"| {code(f.rule)} | {where} | {_why(f)} | {why} |")
    return [*lines, ""]


def render(report: RunReport) -> str:
    counts = report.summary()
    lines = [
        f"## droid {escape(run_label(report))}: {VERDICT_WORDS[report.verdict]}",
        "",
        f"{escape(verdict_reason(report))}. Blocking threshold: {report.block_at.value}.",
        "",
    ]
    if report.mode == "ask" and report.answer:
        lines += ["### Answer", ""]
        # One paragraph per line: Markdown would otherwise run the answer's lines together.
        for line in report.answer.splitlines():
            lines += [escape(line), ""]
    lines += ["| severity | findings |", "|---|---:|"]
    lines += [f"| {s.value} | {counts[s.value]} |" for s in SEVERITIES_DESC]
    hidden, before = len(suppressed(report)), len(report.preexisting())
    lines += ["", f"Suppressed or baselined: {hidden}. Pre-existing (not counted): {before}.", ""]

    lines += findings_lines(report)
    lines += droids_lines(report)

    if report.routing:
        lines += ["### Routing", ""]
        lines += [f"- **{escape(r.droid)}**: {escape('; '.join(r.reasons))}" for r in report.routing]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def findings_lines(report: RunReport) -> list[str]:
    """The active findings grouped by rule (at most `MAX_ROWS` rows), then pre-existing and suppressed apart."""
    active = by_severity(report.active())
    lines: list[str] = []
    if active:
        lines += ["### Findings", ""]
        budget = MAX_ROWS
        for group in rule_groups(active):
            lines += _group(group, budget)
            budget -= len(group.findings)
            if budget <= 0:
                break
        if len(active) > MAX_ROWS:
            lines += [f"{len(active) - MAX_ROWS} more findings are left out here; see the JSON or SARIF report.", ""]
    lines += _apart("Pre-existing, on lines this change did not touch", report.preexisting())
    lines += _apart("Suppressed or baselined", suppressed(report))
    return lines


def droids_lines(report: RunReport) -> list[str]:
    """Each droid's status, findings, time and notes; then the run's own notes."""
    lines: list[str] = []
    if report.droids:
        per_droid = findings_per_droid(report)
        lines += ["### Droids", "", "| droid | status | findings | time | notes |", "|---|---|---:|---:|---|"]
        for d in report.droids:
            status = f"**{d.status.upper()}**" if d.status in ("error", "timeout") else d.status
            notes = [droid_problem(d), *d.notes]
            note_cell = escape("\n".join(n for n in notes if n)) or "-"
            lines.append(f"| {escape(d.name)} | {status} | {per_droid[d.name]} | {d.duration_ms} ms | {note_cell} |")
        lines.append("")
    return lines + [f"_{escape(note)}_" for note in report.notes] + ([""] if report.notes else [])
