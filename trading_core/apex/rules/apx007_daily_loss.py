"""APX007 daily loss limit: the day's loss reached the limit and trading went on.

EOD-trail rule sets (apex-4.0) pause trading for the rest of the trading day once equity has fallen
by the account's daily loss limit since the previous session close (unrealized P&L included). After
that, fills may only reduce or close positions; a fill that opens or increases one is a violation.
Reported once per trading day. `value` is the worst day P&L before the fill, `limit` minus the limit.
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, increases
from trading_core.market.money import fmt_money, to_dollars

RULE = RuleInfo(
    id="APX007",
    severity="high",
    title="Traded on after the daily loss limit",
    fix="Stop for the day once the daily loss limit is hit (ApexGuard halts); only close positions",
    doc=__doc__ or "",
)


def limit_hit(day_pnl: Any, limit: int) -> Any:
    return day_pnl <= -limit


def _violation(index: int, ts: int, day: Any, symbol: str, worst: int, limit: int) -> Violation:
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=to_dollars(worst),
        limit=-to_dollars(limit),
        symbol=symbol,
        message=(
            f"{symbol} fill adds risk after the day's loss reached {fmt_money(worst)}"
            f" (daily loss limit {fmt_money(-limit)}); trading is paused for trading day {day}"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    limit, e = s.spec.daily_loss, s.event
    if limit is None or s.day_pnl_min_before is None or not e.is_fill:
        return []
    if not (increases(s.own_before, s.own_after) and limit_hit(s.day_pnl_min_before, limit)):
        return []
    seen: set[Any] = memory.setdefault("seen", set())
    if s.bounds.day in seen:
        return []
    seen.add(s.bounds.day)
    return [_violation(e.index, e.ts_us, s.bounds.day, e.symbol, s.day_pnl_min_before, limit)]


def scan(f: Any) -> list[Violation]:
    import numpy as np

    limit, j = f.spec.daily_loss, f.journal
    if limit is None:
        return []
    # days whose worst moment hits the limit (day P&L = equity - start-of-day equity); a day that began
    # in an earlier chunk brings the lowest equity it had there
    earlier = f.ledger.day_low_before
    day_low = np.minimum.reduceat(f.equity, f.day_first) - f.sod_equity
    if earlier is not None:
        day_low[0] = min(int(day_low[0]), earlier - int(f.sod_equity[0]))
    growing = f.fills.at[f.fills.grows]  # fills that open or increase a position
    out = []
    for d in np.flatnonzero(limit_hit(day_low, limit)).tolist():
        start, end, sod = int(f.day_first[d]), int(f.day_last[d]) + 1, int(f.sod_equity[d])
        before = earlier - sod if d == 0 and earlier is not None else None  # the day's worst before the chunk
        if before is not None and limit_hit(before, limit):
            first_hit = start - 1  # hit in an earlier chunk: every growing fill of the day here is after it
        else:
            first_hit = start + int(np.argmax(limit_hit(f.equity[start:end] - sod, limit)))
        k = int(np.searchsorted(growing, first_hit, side="right"))  # the first one after the hit
        if k == growing.size or growing[k] >= end:
            continue
        i = int(growing[k])
        worst = int(f.equity[start:i].min()) - sod if i > start else before
        if before is not None and worst is not None:
            worst = min(worst, before)
        assert worst is not None  # i > start unless the hit was in an earlier chunk
        out.append(_violation(int(j.row[i]), int(j.ts_us[i]), f.days[d].day, j.symbols[int(j.sym[i])], worst, limit))
    return out
