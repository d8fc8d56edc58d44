"""`droid perf report`: the budget history as a table and as an HTML page with one chart per stage.

Reads .droid/perf/history.jsonl (one line per budget-gate run). The charts (`trend_charts`, also the
morning report's performance section) are drawn by matplotlib (droids.core.charts) as inline SVG:
p50 and p99 per run on a log scale (a 30 us stage and its 50 ms budget fit on one chart), the budget
as a dashed line, a red dot on runs that had findings.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.report_section import LineChart, Series
from droids.performance_optimizer.bench.store import history_path, read_history


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


STAGE_TITLES = {"on_tick": "OnTick", "onnx_inference": "ONNX inference"}


def stage_title(stage: str) -> str:
    return STAGE_TITLES.get(stage, stage)


def trend_charts(entries: list[dict[str, Any]], stages: list[str]) -> list[LineChart]:
    """One chart per stage: p50 and p99 of each run against the p99 budget, log scale (a 30 us stage
    and its 50 ms budget fit on one chart); a red dot on the p99 of runs that had findings."""
    charts = []
    for stage in stages:
        rows = [(e, e["stages"][stage]) for e in entries if isinstance(e["stages"].get(stage), dict)]
        if not rows:
            continue

        def col(key: str, rows: list = rows) -> tuple[float | None, ...]:
            return tuple(_positive(st.get(key)) for _, st in rows)

        flagged = tuple(
            _positive(st.get("p99_us")) if e.get("findings") or e.get("outcome", "ok") != "ok" else None
            for e, st in rows
        )
        series = [
            Series("p50", col("p50_us"), color="#0969da"),
            Series("p99", col("p99_us"), color="#bc4c00"),
            Series("p99 budget", col("budget_p99_us"), "dashed", "#cf222e"),
        ]
        if any(v is not None for v in flagged):
            series.append(Series("run with findings", flagged, "markers", "#cf222e"))
        charts.append(
            LineChart(
                title=f"{stage_title(stage)} latency against its budget ({stage})",
                x=tuple(str(e.get("ts", "")) for e, _ in rows),
                series=tuple(series),
                y_label="per call",
                log_y=True,
                x_is_time=all(_is_time(e.get("ts")) for e, _ in rows),
                y_unit="us",
            )
        )
    return charts


def _positive(value: object) -> float | None:
    """A figure for a log scale: None when absent or not above zero."""
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _is_time(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _page(entries: list[dict[str, Any]], stages: list[str], table: str) -> str:
    from droids.core.charts import to_svg

    charts = "\n".join(
        f"<figure>{to_svg(c, salt=str(i))}</figure>" for i, c in enumerate(trend_charts(entries, stages))
    )
    return (
        "<!doctype html><html lang=en><head><meta charset='utf-8'><title>Latency budgets: trend</title>"
        "<style>body{font-family:sans-serif;margin:2em auto;max-width:72rem;padding:0 1rem}"
        "pre{background:#f6f6f6;padding:1em;overflow-x:auto}figure{margin:1rem 0}"
        "svg.chart{width:100%;height:auto}</style></head><body>"
        f"<h1>Latency against budgets, last {len(entries)} runs</h1>"
        "<p>p50 and p99 per run (medians over each run's repetitions) against the p99 budget of "
        "policies/budgets.yaml, log scale; a red dot marks a run with findings.</p>"
        f"{charts}<h2>Table</h2><pre>{html.escape(table)}</pre></body></html>\n"
    )
