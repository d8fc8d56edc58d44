"""APX003 entry cutoff: a fill opens or increases a position after the entry cutoff.

From the cutoff (`session.entry_cutoff_before_deadline_min` before the deadline: 16:45 ET by default,
earlier on early-close days) until the next session opens at 18:00 ET, fills may only reduce or
close positions. A fill that flips a position counts: it opens the new side. Reported once per
trading day and symbol; `value` is how many seconds after the cutoff the fill came, `limit` 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, increases
from trading_core.apex.session import US_PER_S, iso_utc

if TYPE_CHECKING:
    import numpy as np

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
            f"{symbol} fill takes the position from {before:+d} to {after:+d} at {iso_utc(ts)},"
            f" {late_s:g} s after the entry cutoff of trading day {day} ({iso_utc(cutoff)}); limit 0 s"
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


def first_per_day_and_symbol(f: Any, hits: np.ndarray) -> np.ndarray:
    """The first of `hits` (event positions, ascending) for each (trading day, symbol)."""
    import numpy as np

    if not hits.size:
        return hits
    keys = f.day[hits] * len(f.journal.symbols) + f.journal.sym[hits]
    _, first = np.unique(keys, return_index=True)
    return hits[np.sort(first)]


def scan(f: Any) -> list[Violation]:
    import numpy as np

    j = f.journal
    cutoff = f.cutoff_of(f.day)
    late = np.flatnonzero(j.ts_us >= cutoff)  # few events: evaluate the predicate only there
    hits = late[late_entry(j.is_fill[late], f.own_before[late], f.own_after[late], j.ts_us[late], cutoff[late])]
    out = []
    for i in first_per_day_and_symbol(f, hits).tolist():
        out.append(
            _violation(
                int(j.row[i]),
                int(j.ts_us[i]),
                f.days[int(f.day[i])].day,
                int(cutoff[i]),
                j.symbols[int(j.sym[i])],
                int(f.own_before[i]),
                int(f.own_after[i]),
            )
        )
    return out
