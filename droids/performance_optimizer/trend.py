"""`droid perf report`: the budget history as a table and as an HTML page with one chart per stage.

Reads .droid/perf/history.jsonl (one line per budget-gate run). The chart is an inline SVG drawn
here, no plotting library: p50 and p99 per run on a log scale (a 30 us stage and its 50 ms budget
fit on one chart), the budget as a dashed line, a red dot on runs that had findings.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.performance_optimizer.bench.store import history_path, read_history

_W, _H, _PAD = 720, 260, 48


@dataclass(frozen=True)
class TrendReport:
    entries: list[dict[str, Any]]
    stages: list[str]
    table: str
    html_file: Path | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "stages": self.stages,
            "html": str(self.html_file) if self.html_file else None,
        }


def render_trend(state_dir: Path, out_dir: Path | None = None, *, last: int = 30) -> TrendReport:
    if last < 1:
        raise DroidError(f"--last {last}: expected a positive number of runs")
    entries = read_history(history_path(state_dir))[-last:]
    stages = list(dict.fromkeys(s for e in entries for s in e["stages"]))
    table = _table(entries, stages)
    html_file = None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        html_file = out_dir / "perf-trend.html"
        html_file.write_text(_page(entries, stages, table), encoding="utf-8")
    return TrendReport(entries, stages, table, html_file)


def _table(entries: list[dict[str, Any]], stages: list[str]) -> str:
    if not entries:
        return "No budget-gate runs recorded yet (.droid/perf/history.jsonl is empty or absent)."
    head = ["when (UTC)", "commit", "runs"] + [f"{s} p50/p99 us (% budget)" for s in stages] + ["findings"]
    rows = [head]
    for e in entries:
        cells = [str(e.get("ts", "")), str(e.get("commit") or "-")[:8], str(e.get("runs", ""))]
        for s in stages:
            st = e["stages"].get(s)
            if not isinstance(st, dict) or "p99_us" not in st:
                cells.append("-")
                continue
            share = st["p99_us"] / st["budget_p99_us"] if st.get("budget_p99_us") else math.nan
            cells.append(f"{st.get('p50_us', math.nan):.1f}/{st['p99_us']:.1f} ({share:.2%})")
        outcome = e.get("outcome", "ok")
        cells.append(", ".join(e.get("findings", [])) or ("-" if outcome == "ok" else outcome))
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _page(entries: list[dict[str, Any]], stages: list[str], table: str) -> str:
    charts = "\n".join(f"<h2>{html.escape(s)}</h2>\n{_chart(entries, s)}" for s in stages)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Latency budgets: trend</title>"
        "<style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}"
        ".p50{stroke:#1f77b4}.p99{stroke:#ff7f0e}.budget{stroke:#d62728;stroke-dasharray:6 4}</style></head><body>"
        f"<h1>Latency against budgets, last {len(entries)} runs</h1>"
        "<p>Blue: p50, orange: p99 (medians over each run's repetitions), dashed red: the p99 budget of "
        "policies/budgets.yaml; log scale. A red dot marks a run with findings.</p>"
        f"{charts}<h2>Table</h2><pre>{html.escape(table)}</pre></body></html>\n"
    )


def _chart(entries: list[dict[str, Any]], stage: str) -> str:
    points = [(i, e["stages"][stage], e) for i, e in enumerate(entries) if isinstance(e["stages"].get(stage), dict)]
    values = [v for _, st, _ in points for k in ("p50_us", "p99_us", "budget_p99_us") if (v := st.get(k))]
    if not values:
        return "<p>No figures.</p>"
    lo = math.floor(math.log10(max(min(values), 0.1)))
    hi = math.ceil(math.log10(max(values) * 1.01))
    span = max(1, len(entries) - 1)

    def x(i: int) -> float:
        return _PAD + (_W - 2 * _PAD) * i / span

    def y(v: float) -> float:
        return _H - _PAD - (_H - 2 * _PAD) * (math.log10(max(v, 0.1)) - lo) / max(1, hi - lo)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{_W}' height='{_H}'>"]
    for p in range(lo, hi + 1):
        parts.append(
            f"<line x1='{_PAD}' x2='{_W - _PAD}' y1='{y(10**p):.1f}' y2='{y(10**p):.1f}' stroke='#ddd'/>"
            f"<text x='4' y='{y(10**p) + 4:.1f}' font-size='11'>{_label(10**p)}</text>"
        )
    for key, css in (("p50_us", "p50"), ("p99_us", "p99"), ("budget_p99_us", "budget")):
        line = " ".join(f"{x(i):.1f},{y(st[key]):.1f}" for i, st, _ in points if st.get(key))
        parts.append(f"<polyline class='{css}' fill='none' stroke-width='2' points='{line}'/>")
    for i, st, e in points:
        if e.get("findings") or e.get("outcome", "ok") != "ok":
            parts.append(f"<circle cx='{x(i):.1f}' cy='{y(st.get('p99_us', 1)):.1f}' r='4' fill='#d62728'/>")
    parts.append("</svg>")
    return "".join(parts)


def _label(us: float) -> str:
    if us >= 1_000_000:
        return f"{us / 1_000_000:g} s"
    if us >= 1000:
        return f"{us / 1000:g} ms"
    return f"{us:g} us"
