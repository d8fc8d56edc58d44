"""APX002 daily deadline: a position still open at or after the deadline (4:59 PM ET by default).

Apex requires every position closed (and every working order cancelled) *before* the deadline, in
New York time, so 20:59 UTC in summer and 21:59 UTC in winter; early-close days have their own
deadline in the policy. A journal is a list of moments, so the check looks at each event twice:
- a position left open by the previous event is still open when this event happens at or after the
  previous event's deadline (the position was held through it);
- a position left open by this event, when this event is itself at or after its day's deadline.
Reported once per trading day and symbol, at the first event that shows it; `value` is the open
contracts, `limit` 0. (Working orders are checked by ApexGuard; the journal format has no order rows.)
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step
from trading_core.apex.session import iso_utc

RULE = RuleInfo(
    id="APX002",
    severity="critical",
    title="Position open at the daily deadline",
    fix="Flatten and cancel working orders before the deadline (ApexGuard flattens at the deadline minus its margin)",
    doc=__doc__ or "",
)


def _violation(index: int, ts: int, day: Any, deadline_us: int, symbol: str, qty: int) -> Violation:
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=abs(qty),
        limit=0,
        symbol=symbol,
        message=(
            f"{symbol} position of {qty:+d} contracts still open at {iso_utc(ts)}, at or after the deadline"
            f" of trading day {day} ({iso_utc(deadline_us)}); limit 0 open contracts"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    seen: set[tuple[Any, str]] = memory.setdefault("seen", set())
    out = []
    ts = s.event.ts_us
    checks = []
    if s.prev_bounds is not None and ts >= s.prev_bounds.deadline_us:
        checks.append((s.prev_bounds, s.positions_before))
    if ts >= s.bounds.deadline_us:
        checks.append((s.bounds, s.positions))
    for bounds, positions in checks:
        for symbol in sorted(positions):
            key = (bounds.day, symbol)
            if positions[symbol] and key not in seen:
                seen.add(key)
                out.append(_violation(s.event.index, ts, bounds.day, bounds.deadline_us, symbol, positions[symbol]))
    return out


def scan(f: Any) -> list[Violation]:
    import numpy as np

    ts, symbols = f.journal.ts_us, f.journal.symbols
    deadline = f.deadline_of(f.day)
    # phase 0: held through the previous event's deadline; phase 1: left open after this event's deadline
    held = np.flatnonzero((ts[1:] >= deadline[:-1]) & (f.open_count[:-1] > 0)) + 1
    late = np.flatnonzero((ts >= deadline) & (f.open_count > 0))
    found: list[tuple[int, str, int, int]] = []  # (position, symbol, day index, qty)
    for code in range(len(symbols)):
        at, phase, day, qty = [], [], [], []
        for ph, where, day_idx in ((0, held, held - 1), (1, late, late)):
            pos = f.position_at(code, where - (1 - ph))
            open_ = np.flatnonzero(pos)
            at.append(where[open_])
            phase.append(np.full(open_.size, ph))
            day.append(f.day[day_idx[open_]])
            qty.append(pos[open_])
        at_, phase_, day_, qty_ = (np.concatenate(c) for c in (at, phase, day, qty))
        order = np.lexsort((phase_, at_))  # processing order; phase 0 first within one event
        _, first = np.unique(day_[order], return_index=True)  # once per trading day for this symbol
        pick = order[first]
        found.extend(
            zip(at_[pick].tolist(), [symbols[code]] * pick.size, day_[pick].tolist(), qty_[pick].tolist(), strict=True)
        )
    out = []
    for i, symbol, d, qty in found:
        b = f.days[d]
        out.append(_violation(int(f.journal.row[i]), int(ts[i]), b.day, b.deadline_us, symbol, qty))
    return out
