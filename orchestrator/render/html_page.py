"""One self-contained HTML page for the audit report folder: inline CSS, no script, no external file.

Every value from the report goes through `html.escape`, so a finding's message can never inject
markup into the page. Extra report sections (e.g. the `apex` object) are shown as key/value tables.
"""

from __future__ import annotations

import json
from html import escape

from droids.core.models import Finding, RunReport
from orchestrator.render._common import (
    SEVERITIES_DESC,
    VERDICT_WORDS,
    RuleGroup,
    by_severity,
    droid_problem,
    extra_fields,
    findings_per_droid,
    location,
    rule_groups,
    run_label,
    suppressed,
    verdict_reason,
)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
color:#1f2328;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}th,td{border:1px solid #d0d7de;
padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f6f8fa}
code{font-family:ui-monospace,monospace;font-size:90%}
.verdict{display:inline-block;padding:.1rem .6rem;border-radius:.3rem;color:#fff;font-weight:700}
.pass{background:#1a7f37}.warn{background:#9a6700}.block{background:#cf222e}
.sev-critical{color:#fff;background:#82071e}.sev-high{color:#cf222e;font-weight:700}.sev-medium{color:#9a6700}
.sev-low{color:#0969da}.sev-info{color:#57606a}.suppressed td{color:#8c959f}.failed{color:#cf222e;font-weight:700}
.meta{color:#57606a}pre{white-space:pre-wrap;background:#f6f8fa;padding:.75rem;border-radius:.3rem}
h3{font-size:1rem;margin:1.25rem 0 .25rem}.apart,.apart code{color:#57606a}
col.where{width:32%}col.rule{width:14%}
"""


def _cell(text: object) -> str:
    return f"<td>{escape(str(text))}</td>"


def _why(f: Finding) -> str:
    why = escape(f.message)
    if f.evidence:
        why += f"<br><span class=meta>evidence</span> <code>{escape(f.evidence)}</code>"
    extras = extra_fields(f)
    if extras:
        why += (
            "<br><span class=meta>" + escape(", ".join(f"{k}={json.dumps(v)}" for k, v in extras.items())) + "</span>"
        )
    return why


def _group(group: RuleGroup) -> str:
    """A rule's heading with its count and the fix once, then one row per finding."""
    rows = "".join(
        f"<tr><td><code>{escape(location(f) or '-')}</code></td><td>"
        + (f"<span class='sev-{escape(f.severity.value)}'>{escape(f.severity.value)}</span> " if group.mixed else "")
        + f"{_why(f)}</td></tr>"
        for f in group.findings
    )
    fix = f"<p><b>Fix:</b> {escape(group.fix)}</p>" if group.fix else ""
    return (
        f"<h3><span class='sev-{escape(group.severity.value)}'>{escape(group.severity.value)}</span> "
        f"<code>{escape(group.rule)}</code> {escape(group.title)} ({len(group.findings)})</h3>{fix}"
        f"<table><colgroup><col class=where><col></colgroup><tr><th>where</th><th>why</th></tr>{rows}</table>"
    )


def _apart(title: str, findings: list[Finding]) -> str:
    """Findings that do not count, listed apart in plain grey: never in the colours of active ones."""
    if not findings:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(f.rule)}</code></td><td><code>{escape(location(f) or '-')}</code></td>"
        f"<td>{_why(f)}</td>{_cell(f.suppression or 'not touched by this change')}</tr>"
        for f in by_severity(findings)
    )
    return (
        f"<h2>{escape(title)} ({len(findings)})</h2><table class=apart><colgroup><col class=rule><col class=where>"
        f"<col><col></colgroup><tr><th>rule</th><th>where</th><th>why</th><th>why it does not count</th></tr>"
        f"{rows}</table>"
    )


def _extra_section(key: str, value: object) -> str:
    rows = value.items() if isinstance(value, dict) else [(key, value)]
    body = "".join(f"<tr><th>{escape(str(k))}</th>{_cell(json.dumps(v, default=str))}</tr>" for k, v in rows)
    return f"<h2>{escape(key)}</h2><table>{body}</table>"


def findings_parts(report: RunReport) -> list[str]:
    """The active findings grouped by rule, then the pre-existing and suppressed ones apart."""
    parts = []
    if report.active():
        parts.append("<h2>Findings</h2>")
        parts += [_group(g) for g in rule_groups(report.active())]
    parts.append(_apart("Pre-existing, on lines this change did not touch", report.preexisting()))
    parts.append(_apart("Suppressed or baselined", suppressed(report)))
    return [p for p in parts if p]


def droids_parts(report: RunReport) -> list[str]:
    """Each droid's status, findings, time and notes; then the run's own notes."""
    per_droid = findings_per_droid(report)
    parts = []
    if report.droids:
        parts.append(
            "<h2>Droids</h2><table><tr><th>droid</th><th>status</th><th>findings</th><th>time</th><th>notes</th></tr>"
        )
        for d in report.droids:
            failed = " class=failed" if d.status in ("error", "timeout") else ""
            notes = "<br>".join(escape(n) for n in [droid_problem(d), *d.notes] if n) or "-"
            parts.append(
                f"<tr>{_cell(d.name)}<td{failed}>{escape(d.status)}</td>{_cell(per_droid[d.name])}"
                f"{_cell(f'{d.duration_ms} ms')}<td>{notes}</td></tr>"
            )
        parts.append("</table>")
    parts += [f"<p class=note>{escape(note)}</p>" for note in report.notes]
    return parts


def render(report: RunReport) -> str:
    counts = report.summary()
    parts = [
        f"<h1>droid {escape(run_label(report))} <span class='verdict {escape(report.verdict)}'>"
        f"{VERDICT_WORDS[report.verdict]}</span></h1>",
        f"<p>{escape(verdict_reason(report))}. Blocking threshold: {escape(report.block_at.value)}.</p>",
        f"<p class=meta>repo <code>{escape(report.repo)}</code> &middot; started {escape(report.started_at)} "
        f"&middot; {report.duration_ms} ms &middot; droid {escape(report.tool_version)}"
        + (f" &middot; request &ldquo;{escape(report.request)}&rdquo;" if report.request else "")
        + "</p>",
    ]
    if report.answer:
        parts.append(f"<h2>Answer</h2><pre>{escape(report.answer)}</pre>")
    parts.append("<h2>Summary</h2><table><tr><th>severity</th><th>findings</th></tr>")
    parts += [f"<tr><td class='sev-{s.value}'>{s.value}</td>{_cell(counts[s.value])}</tr>" for s in SEVERITIES_DESC]
    parts.append(f"<tr><td>suppressed</td>{_cell(len(suppressed(report)))}</tr>")
    parts.append(f"<tr><td>pre-existing</td>{_cell(len(report.preexisting()))}</tr></table>")
    parts += findings_parts(report)
    parts += droids_parts(report)
    if report.routing:
        parts.append("<h2>Routing</h2><ul>")
        parts += [f"<li><b>{escape(r.droid)}</b>: {escape('; '.join(r.reasons))}</li>" for r in report.routing]
        parts.append("</ul>")
    parts += [_extra_section(k, v) for k, v in report.extra.items()]
    title = f"droid {run_label(report)}: {VERDICT_WORDS[report.verdict]}"
    return page(title, "\n".join(parts))


def page(title: str, body: str, css: str = "") -> str:
    """A whole HTML document: inline styles only."""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
