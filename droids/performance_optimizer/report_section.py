"""The performance droid's section of the morning report: OnTick and ONNX p50/p99 against the budgets.

Read from `.droid/perf/history.jsonl` (one line per budget-gate run: `droid audit`, `droid perf
bench`), the last `RUNS` runs; nothing is measured here. The section needs attention when the newest
run had findings (PERF010.. over budget, a regression, a failed suite) or a p99 above its budget.
"""

from __future__ import annotations

from typing import Any

from droids.core.charts import microseconds
from droids.core.report_section import Block, ReportSection, SectionContext, Table, none_section
from droids.performance_optimizer.bench.store import history_path, read_history
from droids.performance_optimizer.names import DROID
from droids.performance_optimizer.trend import stage_title, trend_charts

RUNS = 30
TITLE = "Performance: latency budgets"


def build(ctx: SectionContext) -> list[ReportSection]:
    path = history_path(ctx.state_dir)
    entries = read_history(path)[-RUNS:]
    if not entries:
        why = f"No budget-gate run recorded yet ({_shown(path, ctx)}): `droid audit` or `droid perf bench` records one."
        return [none_section("performance", DROID, TITLE, why)]
    stages = list(dict.fromkeys(s for e in entries for s in e["stages"]))
    latest = entries[-1]
    rows, over = [], []
    for stage in stages:
        st = latest["stages"].get(stage)
        if not isinstance(st, dict) or not isinstance(st.get("p99_us"), int | float):
            rows.append((stage_title(stage), "-", "-", "-", "-"))
            continue
        budget = st.get("budget_p99_us")
        share = f"{st['p99_us'] / budget:.2%}" if isinstance(budget, int | float) and budget > 0 else "-"
        if isinstance(budget, int | float) and st["p99_us"] > budget:
            over.append(stage_title(stage))
        rows.append(
            (stage_title(stage), _us(st.get("p50_us")), _us(st["p99_us"]), _us(budget), share)
        )  # fmt: skip
    findings = list(latest.get("findings") or [])
    outcome = latest.get("outcome", "ok")
    attention = bool(findings or over or outcome != "ok")
    when = f"newest run {latest.get('ts', '?')}" + (f" at {str(latest['commit'])[:10]}" if latest.get("commit") else "")
    said = ", ".join(f"{r[0]} p99 {r[2]} ({r[4]} of {r[3]})" for r in rows if r[2] != "-")
    verdict = (
        f"findings {', '.join(findings)}"
        if findings
        else (f"suite {outcome}" if outcome != "ok" else "within budgets, no finding")
    )
    block = Block(
        heading=f"p50 and p99 per run against the p99 budgets, last {len(entries)} runs",
        status="attention" if attention else "ok",
        lines=[f"{when}: {verdict}." + (f" Over budget: {', '.join(over)}." if over else "")],
        tables=[Table(("stage", "p50", "p99", "p99 budget", "p99 share of budget"), tuple(rows))],
        charts=list(trend_charts(entries, stages)),
    )
    headline = f"{said or 'no stage figures'}; {verdict}."
    return [ReportSection("performance", DROID, TITLE, "attention" if attention else "ok", headline, [block])]


def _us(value: Any) -> str:
    return microseconds(float(value)) if isinstance(value, int | float) else "-"


def _shown(path: Any, ctx: SectionContext) -> str:
    try:
        return path.relative_to(ctx.repo).as_posix()
    except ValueError:
        return str(path)
