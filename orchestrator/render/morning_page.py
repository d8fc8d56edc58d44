"""The morning report as one self-contained HTML page: what `droid audit` writes as report.html and
`droid report` renders from stored results.

Top to bottom: the verdict and the counts; what changed since the previous audit (new and fixed
findings by droid, with a chart); a section per droid (its headline, then its blocks: lines, tables,
charts); the findings grouped by rule with the pre-existing and suppressed ones apart; the droids of
the run. Styles are inline, charts are inline SVG drawn by matplotlib (droids.core.charts): no script,
no link, nothing fetched. Every value goes through `html.escape`. The layout is one column no wider
than 72rem, tables are fixed-layout with wrapping cells and charts scale to the column, so the page
reads at 1280 px (and on a phone) without a horizontal scroll bar.
"""

from __future__ import annotations

from html import escape

from droids.core.models import Finding
from droids.core.report_section import BarChart, Block, ReportSection, Series, Table
from orchestrator.morning.build import MorningReport
from orchestrator.render._common import SEVERITIES_DESC, VERDICT_WORDS, location, suppressed, verdict_reason
from orchestrator.render.html_page import droids_parts, findings_parts, page

STATUS_WORDS = {"ok": "OK", "attention": "ATTENTION", "none": "NO DATA"}
MAX_LISTED = 30  # new / fixed findings listed by name; the rest are counted
FOLD_ROWS = 12  # longer tables fold under a summary line
CSS = """
header.top{border-bottom:1px solid #d0d7de;padding-bottom:.75rem}
.lead{font-size:1.05rem;margin:.35rem 0}
.kpis{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 0}
.kpi{border:1px solid #d0d7de;border-radius:.4rem;padding:.3rem .7rem;min-width:6rem}
.kpi b{display:block;font-size:1.4rem;line-height:1.2}.kpi.new b{color:#cf222e}.kpi.fixed b{color:#1a7f37}
.status{display:inline-block;padding:.05rem .45rem;border-radius:.3rem;color:#fff;font-size:70%;font-weight:700;
vertical-align:middle}.status.ok{background:#1a7f37}.status.attention{background:#cf222e}.status.none{background:#6e7781}
nav.toc ul{list-style:none;padding:0;columns:2;column-gap:2rem}nav.toc li{margin:.15rem 0}
nav.toc a,section a{color:#0969da;text-decoration:none}
section.droid{margin-top:2.25rem}section.droid>h2{border-bottom:3px solid #d0d7de}
.headline{font-weight:600}figure{margin:.75rem 0}svg.chart{display:block;width:100%;height:auto}
details>summary{cursor:pointer;color:#0969da;margin:.25rem 0}
.wide{overflow-x:auto}table.data{table-layout:auto}table.data td,table.data th{overflow-wrap:break-word}
.kpi .sev-critical{background:none;color:#82071e;font-weight:700}
"""


def render(m: MorningReport) -> str:
    parts = [_header(m), _since(m), _toc(m.sections)]
    parts += [_section(s, i) for i, s in enumerate(m.sections)]
    if m.current is not None:
        parts.append("<section id=findings>")
        parts += findings_parts(m.current) or ["<h2>Findings</h2><p>No finding.</p>"]
        parts += droids_parts(m.current)
        parts.append("</section>")
    parts += [f"<p class=meta>{escape(n)}</p>" for n in m.notes]
    verdict = VERDICT_WORDS[m.current.verdict] if m.current else "NO AUDIT"
    return page(f"droid morning report: {verdict} ({m.generated:%Y-%m-%d})", "\n".join(parts), CSS)


def _header(m: MorningReport) -> str:
    name = escape(m.repo.name or str(m.repo))
    generated = f"generated {m.generated:%Y-%m-%d %H:%M} UTC"
    if m.current is None:
        return (
            f"<header class=top><h1>Morning report: {name}</h1><p class=lead>No audit report is stored under "
            "<code>.droid/reports/</code> yet: run <code>droid audit</code>. The droids' sections below are read "
            f"from what they keep.</p><p class=meta>{generated}</p></header>"
        )
    r = m.current
    counts = r.summary()
    kpis = [f"<div class=kpi><b>{counts[s.value]}</b><span class='sev-{s.value}'>{s.value}</span></div>"
            for s in SEVERITIES_DESC]  # fmt: skip
    if m.changes is not None:
        kpis.append(f"<div class='kpi new'><b>+{m.changes.new_total}</b>new since the previous audit</div>")
        kpis.append(f"<div class='kpi fixed'><b>&minus;{m.changes.fixed_total}</b>fixed</div>")
    kpis.append(f"<div class=kpi><b>{len(suppressed(r))}</b>suppressed</div>")
    return (
        f"<header class=top><h1>Morning report: {name} <span class='verdict {escape(r.verdict)}'>"
        f"{VERDICT_WORDS[r.verdict]}</span></h1>"
        f"<p class=lead>{escape(verdict_reason(r))}. Blocking threshold: {escape(r.block_at.value)}.</p>"
        f"<p class=meta>audit started {escape(r.started_at)} &middot; {generated} &middot; droid "
        f"{escape(r.tool_version)}"
        + (f" &middot; period since {m.since:%Y-%m-%d %H:%M} UTC" if m.since else "")
        + f"</p><div class=kpis>{''.join(kpis)}</div></header>"
    )


def _since(m: MorningReport) -> str:
    head = "<section id=since><h2>Since the previous audit</h2>"
    if m.current is None:
        return head + "<p>Nothing to compare: no audit yet.</p></section>"
    c = m.changes
    if c is None:
        return head + "<p>This is the first audit stored here: nothing to compare with yet.</p></section>"
    how = (
        "by fingerprint, from the stored reports"
        if c.exact
        else "by finding counts per rule, from the audit trail (that audit's report is not stored here)"
    )
    entry = f", audit-trail entry {c.previous_seq}" if c.previous_seq is not None else ""
    parts = [head, f"<p>Compared with the audit of {escape(c.previous_at)}{entry}, {how}: "
             f"<b>{c.new_total} new</b>, <b>{c.fixed_total} fixed</b>.</p>"]  # fmt: skip
    rows = tuple((d.droid, str(d.open_now), *d.shown(), d.note or "") for d in c.droids)
    parts.append(_table(Table(("droid", "open now", "new", "fixed", "note"), rows)))
    moved = [d for d in c.droids if d.compared and (d.new_count or d.fixed_count)]
    if moved:
        chart = BarChart(
            "New (right) and fixed (left) findings by droid since the previous audit",
            tuple(d.droid for d in moved),
            (
                Series("new", tuple(float(d.new_count) for d in moved), color="#cf222e"),
                Series("fixed", tuple(-float(d.fixed_count) for d in moved), color="#1a7f37"),
            ),
            y_label="findings",
            horizontal=True,
        )
        parts.append(_figure(chart, "since"))
    if c.exact:
        parts.append(_listed("New findings", [f for d in c.droids if d.compared for f in d.new], set()))
        parts.append(_listed("Fixed findings", [f for d in c.droids if d.compared for f in d.fixed], c.now_suppressed))
    return "".join(parts) + "</section>"


def _listed(title: str, findings: list[Finding], now_suppressed: set[str]) -> str:
    if not findings:
        return ""
    rows = tuple(
        (f.droid, f.rule, f.severity.value, location(f) or "-",
         f.message + (" (suppressed since)" if f.fingerprint in now_suppressed else ""))
        for f in findings[:MAX_LISTED]
    )  # fmt: skip
    more = f"<p class=meta>{len(findings) - MAX_LISTED} more in report.json.</p>" if len(findings) > MAX_LISTED else ""
    return f"<h3>{escape(title)} ({len(findings)})</h3>" + _table(
        Table(("droid", "rule", "severity", "where", "what"), rows)
    ) + more  # fmt: skip


def _toc(sections: list[ReportSection]) -> str:
    items = "".join(f"<li><a href='#s-{escape(s.key)}'>{escape(s.title)}</a> {_badge(s.status)}</li>" for s in sections)
    return (
        f"<nav class=toc><h2>The droids' sections</h2><ul>{items}<li><a href='#findings'>Findings</a></li></ul></nav>"
    )


def _section(s: ReportSection, index: int) -> str:
    parts = [
        f"<section class=droid id='s-{escape(s.key)}'><h2>{escape(s.title)} {_badge(s.status)}</h2>",
        f"<p class=headline>{escape(s.headline)}</p>",
    ]
    parts += [_block(b, f"{index}-{j}") for j, b in enumerate(s.blocks)]
    return "".join(parts) + "</section>"


def _block(b: Block, salt: str) -> str:
    parts = [f"<h3>{escape(b.heading)}" + (f" {_badge(b.status)}" if b.status else "") + "</h3>"]
    parts += [f"<p>{escape(line)}</p>" for line in b.lines]
    parts += [_figure(c, f"{salt}-{k}") for k, c in enumerate(b.charts)]
    parts += [_table(t) for t in b.tables]
    return "".join(parts)


def _figure(chart: object, salt: str) -> str:
    from droids.core.charts import to_svg

    return f"<figure class=chart-box>{to_svg(chart, salt=salt)}</figure>"  # type: ignore[arg-type]


def _table(t: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.headers)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in t.rows)
    # columns as wide as their words; a table wider than the column scrolls inside its box, not the page
    table = f"<div class=wide><table class=data><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    if len(t.rows) > FOLD_ROWS:
        return f"<details><summary>{len(t.rows)} rows</summary>{table}</details>"
    return table


def _badge(status: str | None) -> str:
    if not status:
        return ""
    return f"<span class='status {escape(status)}'>{STATUS_WORDS.get(status, escape(status))}</span>"
