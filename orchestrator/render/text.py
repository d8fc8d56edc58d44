"""The terminal report: short, most severe first, each finding with where, why and how to fix.

Findings are grouped under a heading per rule (severity, rule id, title, count) with the fix said
once, then one line each: `path:line  message  evidence`. Suppressed and pre-existing findings are
counted apart, never in the colours of active ones (`show_preexisting` lists the pre-existing ones
grouped the same way); `verbose` prints today's full form instead: every finding with its own fix,
and the suppressed ones with their reason.

Built with rich `Text` objects, never console markup, so a `[red]` inside a finding's message is
printed as it is. With `color=False` the console has no colour system and is not a terminal, so the
output holds no ANSI escape codes whatever FORCE_COLOR or TERM say; control characters that come
from the report itself are replaced by U+FFFD in both modes.
"""

from __future__ import annotations

import re
import textwrap
from io import StringIO

from rich.console import Console
from rich.text import Text

from droids.core.models import Finding, RunReport, Severity
from orchestrator.render._common import (
    SEVERITIES_DESC,
    VERDICT_WORDS,
    RuleGroup,
    by_severity,
    counts_by_rule,
    droid_problem,
    findings_per_droid,
    location,
    rule_groups,
    run_label,
    summary_line,
    suppressed,
    verdict_reason,
)

WIDTH = 100
# C0 and C1 control characters other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
VERDICT_STYLES = {"pass": "bold green", "warn": "bold yellow", "block": "bold red"}


def _console(buffer: StringIO, color: bool) -> Console:
    return Console(
        file=buffer,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=WIDTH,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )


def _wrapped(doc: Text, text: str, indent: int, *, style: str = "", label: str = "", label_style: str = "") -> None:
    """Append `label + text` wrapped to the width with every line indented.

    Wrapped here with textwrap rather than by rich's Padding: one rich print per line made a
    1000-finding report take about a second; one print of one Text takes a few tens of ms.
    """
    lines: list[str] = []
    for paragraph in f"{label}{text}".splitlines() or [""]:
        lines += textwrap.wrap(paragraph, WIDTH - indent, break_on_hyphens=False) or [""]
    pad = " " * indent
    for i, line in enumerate(lines):
        doc.append(pad)
        if i == 0 and label and line.startswith(label):
            doc.append(label, style=label_style).append(line[len(label) :], style=style)
        else:
            doc.append(line, style=style)
        doc.append("\n")


def _group(doc: Text, group: RuleGroup, *, muted: bool = False) -> None:
    count = len(group.findings)
    doc.append("\n")
    doc.append(f"{group.severity.value.upper()}", style="dim" if muted else SEVERITY_STYLES[group.severity])
    doc.append("  ").append(group.rule, style="dim" if muted else "magenta")
    doc.append(f"  {group.title} ({count})\n", style="dim" if muted else "bold")
    if group.fix:
        _wrapped(
            doc, group.fix, 2, style="dim" if muted else "", label="fix: ", label_style="dim" if muted else "green"
        )
    for f in group.findings:
        line = f"{location(f) or '(no file)'}  {f.message}"
        if f.evidence:
            line += f"  evidence {f.evidence}"
        if group.mixed:
            line = f"[{f.severity.value}] {line}"
        _wrapped(doc, line, 4, style="dim" if muted else "")


def _finding(doc: Text, f: Finding) -> None:
    doc.append("  ").append(location(f) or "(no file)", style="bold").append("  ")
    doc.append(f.rule, style="magenta").append(f"  {f.title}\n")
    why = f"{f.message}  evidence {f.evidence}" if f.evidence else f.message
    _wrapped(doc, why, 6)
    if f.fix:
        _wrapped(doc, f.fix, 6, label="fix: ", label_style="green")


def _droids(doc: Text, report: RunReport) -> None:
    per_droid = findings_per_droid(report)
    width = max(len(d.name) for d in report.droids)
    doc.append("droids\n", style="bold")
    for d in report.droids:
        failed = d.status in ("error", "timeout")
        count = per_droid[d.name]
        doc.append(f"  {d.name:<{width}}  ")
        doc.append(f"{d.status.upper() if failed else d.status:<7}", style="bold red" if failed else "green")
        doc.append(f" {count} finding{'s' if count != 1 else ''}, {d.duration_ms} ms\n", style="dim")
        problem = droid_problem(d)
        if problem:
            _wrapped(doc, problem, 4, style="red" if failed else "")
        for note in d.notes:
            _wrapped(doc, note, 4, style="dim")


def _verbose(doc: Text, report: RunReport) -> None:
    """Every finding in full (its own fix), most severe first; then the suppressed ones with why."""
    active = by_severity(report.active())
    for severity in SEVERITIES_DESC:
        group = [f for f in active if f.severity is severity]
        if group:
            doc.append("\n").append(f"{severity.value.upper()} ({len(group)})", style=SEVERITY_STYLES[severity])
            doc.append("\n")
            for f in group:
                _finding(doc, f)
    for title, items in (("pre-existing", report.preexisting()), ("suppressed", suppressed(report))):
        if items:
            doc.append("\n").append(f"{title} ({len(items)})", style="dim").append("\n")
            for f in by_severity(items):
                why = f" ({f.suppression})" if f.suppression else ""
                _wrapped(doc, f"{location(f) or '(no file)'}  {f.rule}  {f.message}{why}", 2, style="dim")


def _apart(doc: Text, report: RunReport, show_preexisting: bool) -> None:
    """One dim line each for the findings that do not count, unless asked to list them."""
    before, hidden = report.preexisting(), suppressed(report)
    if before and show_preexisting:
        doc.append("\n").append(f"pre-existing: on lines this change did not touch ({len(before)})", style="dim")
        doc.append("\n")
        for group in rule_groups(before):
            _group(doc, group, muted=True)
    elif before:
        doc.append("\n")
        _wrapped(doc, f"{len(before)} pre-existing, on lines this change did not touch ({counts_by_rule(before)}); "
                 "--show-preexisting lists them", 0, style="dim")  # fmt: skip
    if hidden:
        doc.append("\n" if not before or show_preexisting else "")
        _wrapped(doc, f"{len(hidden)} suppressed ({counts_by_rule(hidden)}); --verbose lists them with why", 0,
                 style="dim")  # fmt: skip


def render(report: RunReport, *, color: bool = False, verbose: bool = False, show_preexisting: bool = False) -> str:
    doc = Text()
    if report.mode == "ask" and report.answer:
        doc.append(report.answer.rstrip("\n") + "\n\n")
    doc.append(VERDICT_WORDS[report.verdict], style=VERDICT_STYLES[report.verdict])
    doc.append(f"  {run_label(report)}: {verdict_reason(report)}\n")
    if verbose:
        _verbose(doc, report)
    else:
        for group in rule_groups(report.active()):
            _group(doc, group)
        _apart(doc, report, show_preexisting)
    doc.append("\n")
    if report.droids:
        _droids(doc, report)
    for note in report.notes:
        _wrapped(doc, note, 0, style="dim")
    if report.routing:
        routes = "; ".join(f"{r.droid} <- {', '.join(r.reasons)}" for r in report.routing)
        doc.append("routing: ", style="bold").append(f"{routes}\n", style="dim")
    doc.append("summary: ", style="bold").append(summary_line(report))
    # A control character in a message (ESC from a scanned file, say) must not drive the terminal;
    # same-length replacement keeps the style spans where they were.
    doc.plain = _CONTROL.sub("\ufffd", doc.plain)
    buffer = StringIO()
    _console(buffer, color).print(doc)
    # Wrapped lines may carry trailing blanks; they are noise in a terminal and in logs.
    return "\n".join(line.rstrip(" ") for line in buffer.getvalue().split("\n"))
