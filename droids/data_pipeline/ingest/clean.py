"""Cleaning a fetched series, policy-driven and never silent: every change is counted.

In order (data.yaml `cleaning`):
1. sort by time; duplicate timestamps keep the first or the last bar (`duplicates`), counted as
   identical (the same bar twice) or conflicting (two different bars for one minute);
2. outliers: bar-to-bar close moves beyond a z-score, beyond an IQR fence (k x IQR outside the
   quartiles) or of more than `max_move_ticks` ticks of the instrument; each test counts the bars it
   flags; `action: drop` removes them (they become gaps for step 4), `report` keeps them;
3. missing values (NaN) per column: `ffill` (the column's previous value), `interpolate` (linear in
   time between its neighbours, prices rounded to the tick grid), `zero` (volume) or `leave`;
4. missing bars inside open sessions of the CME calendar (never on a holiday, never after an early
   close): inserted (`filled = true`) when no column says `leave`: prices forward filled from the
   previous close (a flat bar) or interpolated between the closes around the gap, volume by its own
   method; otherwise left, and counted.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from droids.data_pipeline.policy import PRICE_COLUMNS, Cleaning

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from droids.data_pipeline.calendar.cme import Slots

_ALL = (*PRICE_COLUMNS, "volume")


def clean(table: pa.Table, policy: Cleaning, tick: float | None, slots: Slots | None) -> tuple[pa.Table, Counter[str]]:
    import numpy as np

    counts: Counter[str] = Counter()
    cols = {c: table.column(c).to_numpy(zero_copy_only=False).astype(np.float64) for c in _ALL}
    ts = table.column("ts").cast("int64").to_numpy()
    order = np.argsort(ts, kind="stable")
    ts, cols = ts[order], {c: v[order] for c, v in cols.items()}
    ts, cols = _dedupe(ts, cols, policy.duplicates, counts)
    ts, cols = _outliers(ts, cols, policy, tick, counts)
    for c in _ALL:
        _fill_values(ts, cols[c], policy.gaps[c], tick if c != "volume" else None, c, counts)
    filled = np.zeros(len(ts), dtype=bool)
    if slots is not None and len(ts) > 1:
        ts, cols, filled = _fill_bars(ts, cols, policy, tick, slots, counts)
    return _table(ts, cols, filled), counts


def _dedupe(ts, cols, keep: str, counts: Counter[str]):
    import numpy as np

    if len(ts) < 2:
        return ts, cols
    same = np.concatenate(([False], ts[1:] == ts[:-1]))
    if not same.any():
        return ts, cols
    dup = np.flatnonzero(same)
    identical = np.ones(len(dup), dtype=bool)
    for v in cols.values():
        a, b = v[dup], v[dup - 1]
        identical &= (a == b) | (np.isnan(a) & np.isnan(b))
    counts["duplicates_identical"] += int(identical.sum())
    counts["duplicates_conflicting"] += int((~identical).sum())
    # keep first: drop each repeat; keep last: drop each bar a repeat follows
    drop = dup if keep == "first" else dup - 1
    mask = np.ones(len(ts), dtype=bool)
    mask[drop] = False
    return ts[mask], {c: v[mask] for c, v in cols.items()}


def _outliers(ts, cols, policy: Cleaning, tick: float | None, counts: Counter[str]):
    import numpy as np

    o = policy.outliers
    close = cols["close"]
    if len(close) < 3:
        return ts, cols
    move = np.concatenate(([0.0], np.diff(close)))
    finite = np.isfinite(move)
    flagged = np.zeros(len(close), dtype=bool)
    tests = []
    if o.zscore > 0:
        m, s = np.nanmean(move[finite]), np.nanstd(move[finite])
        tests.append(("zscore", np.abs(move - m) > o.zscore * s if s > 0 else np.zeros(len(move), bool)))
    if o.iqr_k > 0:
        q1, q3 = np.nanpercentile(move[finite], [25, 75])
        width = q3 - q1
        tests.append(
            (
                "iqr",
                ((move < q1 - o.iqr_k * width) | (move > q3 + o.iqr_k * width))
                if width > 0
                else np.zeros(len(move), bool),
            )
        )
    if o.max_move_ticks > 0 and tick is not None:
        tests.append(("ticks", np.abs(move) > o.max_move_ticks * tick + tick * 1e-6))
    for name, hit in tests:
        hit &= finite
        counts[f"outliers_{name}"] += int(hit.sum())
        flagged |= hit
    if o.action == "drop" and flagged.any():
        counts["outliers_dropped"] += int(flagged.sum())
        keep = ~flagged
        return ts[keep], {c: v[keep] for c, v in cols.items()}
    return ts, cols


def _fill_values(ts, v, method: str, tick: float | None, name: str, counts: Counter[str]) -> None:
    import numpy as np

    nan = np.isnan(v)
    if not nan.any():
        return
    good = np.flatnonzero(~nan)
    if method == "leave" or not len(good):
        counts[f"missing_left_{name}"] += int(nan.sum())
        return
    bad = np.flatnonzero(nan)
    if method == "zero":
        v[bad] = 0.0
    elif method == "ffill":
        prev = np.searchsorted(good, bad) - 1
        ok = prev >= 0
        v[bad[ok]] = v[good[prev[ok]]]
        counts[f"missing_left_{name}"] += int((~ok).sum())
        bad = bad[ok]
    else:  # interpolate: only between two known values
        inside = (bad > good[0]) & (bad < good[-1])
        v[bad[inside]] = np.interp(ts[bad[inside]], ts[good], v[good])
        if tick:
            v[bad[inside]] = np.rint(v[bad[inside]] / tick) * tick
        counts[f"missing_left_{name}"] += int((~inside).sum())
        bad = bad[inside]
    counts[f"missing_filled_{name}"] += len(bad)


def _fill_bars(ts, cols, policy: Cleaning, tick: float | None, slots: Slots, counts: Counter[str]):
    import numpy as np

    expected = slots.before(np.array([ts[0], ts[-1]]))
    first = int(expected[0] + slots.is_slot(np.array([ts[0]]))[0])
    every = slots.time_of(np.arange(first, int(expected[1]), dtype=np.int64))
    missing = np.setdiff1d(every, ts, assume_unique=False)
    if not len(missing):
        return ts, cols, np.zeros(len(ts), dtype=bool)
    methods = policy.gaps
    if any(methods[c] == "leave" for c in _ALL):
        counts["gaps_left_bars"] += len(missing)
        return ts, cols, np.zeros(len(ts), dtype=bool)
    prev = np.searchsorted(ts, missing) - 1  # >= 0: missing lies after the first bar
    nxt = prev + 1
    new = {}
    close = cols["close"]
    for c in _ALL:
        m = methods[c]
        if m == "zero":
            new[c] = np.zeros(len(missing))
        elif m == "ffill":
            new[c] = close[prev] if c != "volume" else cols["volume"][prev]
        else:
            src = close if c != "volume" else cols["volume"]
            span = (ts[nxt] - ts[prev]).astype(np.float64)
            w = (missing - ts[prev]) / span
            new[c] = src[prev] + w * (src[nxt] - src[prev])
            if c != "volume" and tick:
                new[c] = np.rint(new[c] / tick) * tick
            elif c == "volume":
                new[c] = np.rint(new[c])
    counts["gaps_filled_bars"] += len(missing)
    all_ts = np.concatenate((ts, missing))
    order = np.argsort(all_ts, kind="stable")
    merged = {c: np.concatenate((cols[c], new[c]))[order] for c in _ALL}
    filled = np.concatenate((np.zeros(len(ts), bool), np.ones(len(missing), bool)))[order]
    return all_ts[order], merged, filled


def _table(ts: np.ndarray, cols: dict[str, np.ndarray], filled: np.ndarray) -> pa.Table:
    import pyarrow as pa

    from droids.data_pipeline.bars.schema import catalog_schema

    arrays = [pa.array(ts, type=pa.int64()).cast(pa.timestamp("ns", tz="UTC"))]
    arrays += [pa.array(cols[c], type=pa.float64()) for c in _ALL]
    arrays.append(pa.array(filled, type=pa.bool_()))
    return pa.Table.from_arrays(arrays, schema=catalog_schema())
