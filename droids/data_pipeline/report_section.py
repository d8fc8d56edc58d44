"""The data droid's section of the morning report: catalog freshness and completeness by day.

Freshness is the "catalog-freshness" reading (DATA011's: whole CME sessions closed since each
series' newest bar). Completeness is, for each series and each of the last `SESSIONS` closed
sessions of its calendar (both calendar libraries agreeing, as DATA010 judges), the share of the
expected bar opens the catalog holds; a session before the series' first bar has no value (not
fetched yet), one after its newest bar counts as empty. Only the `ts` column of the months that
overlap the window is read. A repository without a catalog gets one line saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.report_section import Block, HeatMap, ReportSection, SectionContext, Table, none_section
from droids.data_pipeline.names import DROID

SESSIONS = 20
TITLE = "Data: catalog freshness and completeness"


def build(ctx: SectionContext) -> list[ReportSection]:
    from droids.data_pipeline.catalog.freshness import catalog_freshness_of
    from droids.data_pipeline.catalog.layout import partitions
    from droids.data_pipeline.policy import load_data_policy
    from droids.data_pipeline.symbols import Symbols

    policy, _ = load_data_policy(ctx.policies)
    if policy.catalog is None:
        why = "No catalog configured: name one under `catalog:` in policies/data.yaml (e.g. data/catalog)."
        return [none_section("data", DROID, TITLE, why)]
    root = (ctx.repo / policy.catalog).resolve()
    if not root.is_dir():
        why = f"The catalog {policy.catalog} (policies/data.yaml) does not exist yet: `droid data ingest` writes it."
        return [none_section("data", DROID, TITLE, why)]
    symbols = Symbols(policy, ctx.policies)
    now_ns = int(ctx.now.timestamp()) * 1_000_000_000
    fresh = catalog_freshness_of(root, policy, symbols, now_ns)
    if not fresh:
        return [none_section("data", DROID, TITLE, f"The catalog {policy.catalog} holds no bars yet.")]
    from droids.data_pipeline.names import iso_utc

    rows = tuple(
        (
            f.symbol,
            f.interval,
            iso_utc(f.newest_ns) if f.newest_ns is not None else "-",
            str(len(f.missed)),
            "STALE" if f.stale else "fresh",
        )
        for f in fresh
    )
    stale = [f for f in fresh if f.stale]
    freshness = Block(
        "Freshness: the newest bar of each series",
        status="attention" if stale else "ok",
        lines=[
            f"{len(fresh) - len(stale)} of {len(fresh)} series fresh; stale once {policy.freshness.max_missed_sessions}"
            " whole session(s) closed after the newest bar (DATA011)."
        ],
        tables=[Table(("symbol", "interval", "newest bar (UTC)", "sessions missed", "state"), rows)],
    )
    grid: dict[str, dict[str, float | None]] = {}
    notes: list[str] = []
    for f in fresh:
        spec = symbols.get(f.symbol, where=f"{root}: symbol={f.symbol}").policy
        label = f"{f.symbol} {f.interval}"
        cells = completeness(partitions(root, f.symbol, f.interval), f.interval, spec, now_ns)
        if cells is None:
            notes.append(f"{label}: completeness not judged for {f.interval} bars (no fixed bar length).")
        else:
            grid[label] = cells
    blocks = [freshness, _heat_block(grid, notes)]
    worst = _worst(grid)
    attention = bool(stale) or (worst is not None and worst[0] < 1.0)
    headline = f"{len(fresh) - len(stale)} of {len(fresh)} series fresh"
    if stale:
        headline += " (stale: " + ", ".join(f"{f.symbol} {f.interval}, {len(f.missed)} sessions missed" for f in stale)
        headline += ")"
    if worst is not None:
        share, label, day = worst
        headline += (
            f"; the last {SESSIONS} sessions complete"
            if share >= 1.0
            else f"; least complete: {label} {day} {share:.1%}"
        )
    return [ReportSection("data", DROID, TITLE, "attention" if attention else "ok", headline + ".", blocks)]


def completeness(parts: list[Any], interval: str, spec: Any, now_ns: int) -> dict[str, float | None] | None:
    """{session date: share of its expected bars present} for the last SESSIONS closed sessions;
    None when the interval has no fixed length (daily bars and longer)."""
    import numpy as np

    from droids.data_pipeline.bars.schema import INTERVALS
    from droids.data_pipeline.calendar.cme import calendar_for

    step = INTERVALS.get(interval)
    if step is None or not parts:
        return None
    first_ns = parts[0].start_ns
    cal = calendar_for(
        spec.calendar, spec.xcals, spec.exchange_timezone, min(first_ns, now_ns - 40 * 86_400 * 10**9), now_ns
    )
    closed = np.flatnonzero(cal.closes <= now_ns)[-SESSIONS:]
    if not closed.size:
        return {}
    lo, hi = int(cal.opens[closed[0]]), int(cal.closes[closed[-1]])
    ts = np.unique(
        np.concatenate([_ts(p.path) for p in parts if p.end_ns > lo and p.start_ns < hi] or [np.empty(0, np.int64)])
    )
    slots = cal.slots(step)
    cum = np.concatenate(([0], np.cumsum(slots.count)))
    expected = cum[np.searchsorted(slots.start, cal.closes)] - cum[np.searchsorted(slots.start, cal.opens)]
    ts = ts[slots.is_slot(ts)] if ts.size else ts
    session = cal.session_of(ts) if ts.size else ts
    present = np.bincount(session[session >= 0], minlength=len(cal.opens)) if ts.size else np.zeros(len(cal.opens), int)
    first_bar = _first_bar(parts)
    out: dict[str, float | None] = {}
    for k in closed.tolist():
        day = str(cal.dates[k])
        if first_bar is None or cal.closes[k] <= first_bar or expected[k] == 0:
            out[day] = None  # before the series begins: not fetched, not missing
        else:
            out[day] = min(1.0, float(present[k]) / float(expected[k]))
    return out


def _ts(path: Path) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        column = pq.read_table(path, columns=["ts"]).column("ts")
    except (pa.ArrowException, OSError, KeyError) as exc:
        raise DroidError(
            f"{path}: not a readable catalog partition with a ts column ({str(exc).splitlines()[0]})"
        ) from None
    return np.asarray(column.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _first_bar(parts: list[Any]) -> int | None:
    for part in parts:
        ts = _ts(part.path)
        if ts.size:
            return int(ts.min())
    return None


def _heat_block(grid: dict[str, dict[str, float | None]], notes: list[str]) -> Block:
    block = Block(f"Completeness by session, the last {SESSIONS} closed sessions", lines=list(notes))
    days = sorted({d for cells in grid.values() for d in cells})
    if not days:
        block.status = "none"
        block.lines.insert(0, "No closed session to judge yet.")
        return block
    values = tuple(tuple(grid[label].get(d) for d in days) for label in grid)
    block.lines.insert(
        0,
        "Share of the bars the CME calendar expects in each session that the catalog holds"
        " (blank: before the series starts).",
    )
    block.charts.append(
        HeatMap("Catalog completeness by session", tuple(grid), tuple(days), values, label="bars present")
    )
    worst = _worst(grid)
    block.status = "attention" if worst is not None and worst[0] < 1.0 else "ok"
    return block


def _worst(grid: dict[str, dict[str, float | None]]) -> tuple[float, str, str] | None:
    cells = [(v, label, day) for label, row in grid.items() for day, v in row.items() if v is not None]
    return min(cells, key=lambda c: c[0]) if cells else None
