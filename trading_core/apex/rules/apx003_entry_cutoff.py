"""APX003 entry cutoff: a fill opens or increases a position after the entry cutoff.

From the cutoff (`session.entry_cutoff_before_deadline_min` before the deadline: 16:45 ET by default,
earlier on early-close days) until the next session opens at 18:00 ET, fills may only reduce or
close positions. A fill that flips a position counts: it opens the new side. Reported once per
trading day and symbol; `value` is how many seconds after the cutoff the fill came, `limit` 0.
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, increases, iso_ts
from trading_core.apex.session import US_PER_S

RULE = RuleInfo(
    id="APX003",
    severity="high",
    title="New risk after the entry cutoff",
    fix="Send only reducing orders after the cutoff; ApexGuard denies the rest",
    doc=__doc__ or "",
)


def late_entry(is_fill: Any, before: Any, after: Any, ts: Any, cutoff: Any) -> Any:
    return is_fill & increases(before, after) & (ts >= cutoff)


def _violation(index: int, ts: int, day: Any, cutoff: int, symbol: str, before: int, after: int) -> Violation:
    late_s = (ts - cutoff) / US_PER_S
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=late_s,
        limit=0,
        symbol=symbol,
        message=(
            f"{symbol} fill takes the position from {before:+d} to {after:+d} at {iso_ts(ts)},"
            f" {late_s:g} s after the entry cutoff of trading day {day} ({iso_ts(cutoff)}); limit 0 s"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    e = s.event
    if not late_entry(e.is_fill, s.own_before, s.own_after, e.ts_us, s.bounds.cutoff_us):
        return []
    seen: set[tuple[Any, str]] = memory.setdefault("seen", set())
    key = (s.bounds.day, e.symbol)
    if key in seen:
        return []
    seen.add(key)
    return [_violation(e.index, e.ts_us, s.bounds.day, s.bounds.cutoff_us, e.symbol, s.own_before, s.own_after)]


def scan(f: Any) -> list[Violation]:
    import numpy as np

    j, fills = f.journal, f.fills
    cutoff = np.fromiter((b.cutoff_us for b in f.days), np.int64, len(f.days))
    # per day: its fills from the first event at or after the cutoff on
    first = np.searchsorted(fills.at, np.maximum(f.day_first, np.searchsorted(j.ts_us, cutoff)))
    end = f.fill_spans[1]
    count = np.maximum(end - first, 0)
    late = np.arange(int(count.sum())) + np.repeat(first - (np.cumsum(count) - count), count)
    day = np.repeat(np.arange(len(f.days)), count)
    hit = late_entry(True, fills.own_before[late], fills.own_after[late], j.ts_us[fills.at[late]], cutoff[day])
    chosen = f.first_per_day_and_symbol(late[hit])
    at = fills.at[chosen]
    days = f.day_of(at)
    return [
        _violation(row, ts, f.days[d].day, int(cutoff[d]), j.symbols[code], before, after)
        for row, ts, d, code, before, after in zip(
            j.row[at].tolist(),
            j.ts_us[at].tolist(),
            days.tolist(),
            fills.sym[chosen].tolist(),
            fills.own_before[chosen].tolist(),
            fills.own_after[chosen].tolist(),
            strict=True,
        )
    ]
