"""Realistic one-minute ES bars on the real CME calendar (both libraries), for tests and benchmarks.

Prices walk on the 0.25 tick grid, OHLC is consistent, volume is positive: a clean series, which a
test then breaks in one place on purpose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from droids.data_pipeline.calendar.cme import calendar_for

MINUTE = 60_000_000_000


def ns(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1e9)


def session_minutes(first: date, last: date) -> np.ndarray:
    """Every one-minute bar open of the CME sessions dated first..last (both calendars open)."""
    lo = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp() * 1e9)
    hi = int(datetime(last.year, last.month, last.day, tzinfo=UTC).timestamp() * 1e9)
    cal = calendar_for("CME_Equity", "CMES", "America/Chicago", lo, hi)
    keep = [i for i, d in enumerate(cal.dates) if first <= d <= last]
    out = []
    for i in keep:
        out.append(np.arange(cal.opens[i], cal.closes[i], MINUTE, dtype=np.int64))
    ts = np.concatenate(out) if out else np.empty(0, dtype=np.int64)
    segs = cal.slots(MINUTE)
    return ts[segs.is_slot(ts)]


def bars_for(ts: np.ndarray, seed: int = 7, tick: float = 0.25, start: float = 5000.0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = len(ts)
    close = start + np.cumsum(rng.integers(-3, 4, n)) * tick
    open_ = np.concatenate(([start], close[:-1]))
    high = np.maximum(open_, close) + rng.integers(0, 3, n) * tick
    low = np.minimum(open_, close) - rng.integers(0, 3, n) * tick
    volume = rng.integers(1, 500, n).astype(np.float64)
    return {"ts": ts, "open": open_, "high": high, "low": low, "close": close, "volume": volume}


def table(bars: dict[str, np.ndarray], symbol: str = "ES") -> pa.Table:
    n = len(bars["ts"])
    return pa.table(
        {
            "ts": pa.array(bars["ts"], type=pa.int64()).cast(pa.timestamp("ns", tz="UTC")),
            "symbol": pa.array([symbol] * n),
            **{c: pa.array(bars[c]) for c in ("open", "high", "low", "close", "volume")},
        }
    )


def iso(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_csv(path: Path, bars: dict[str, np.ndarray], symbol: str = "ES") -> Path:
    lines = ["ts,symbol,open,high,low,close,volume"]
    for i in range(len(bars["ts"])):
        vals = ",".join(repr(float(bars[c][i])) for c in ("open", "high", "low", "close", "volume"))
        lines.append(f"{iso(int(bars['ts'][i]))},{symbol},{vals}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_parquet(
    path: Path, bars: dict[str, np.ndarray], symbol: str = "ES", row_group_size: int | None = None
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table(bars, symbol), path, row_group_size=row_group_size, compression="zstd")
    return path
