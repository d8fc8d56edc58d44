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
from trading_core.apex.rules.base import RuleInfo, Step, iso_ts

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
            f"{symbol} position of {qty:+d} contracts still open at {iso_ts(ts)}, at or after the deadline"
            f" of trading day {day} ({iso_ts(deadline_us)}); limit 0 open contracts"
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
    """The `step` checks, per trading day: they look at the positions after a run of events.

    For trading day D, with `s` the first event at or after D's deadline: the event before `s`, if it
    is D's, left positions that `s` shows held through the deadline (reported at `s`); every later
    event of D that leaves a position open is itself past the deadline (reported at itself). So the
    first report for D and a symbol is at the first of D's events from `s - 1` on after which that
    symbol's position is open: at `s - 1` itself, or at the symbol's first fill after it that leaves
    a position open. (No later event: nothing held through the deadline is ever shown.) When `s - 1`
    is in the previous chunk, `held_into` reports what it left open.
    """
    import numpy as np

    j, fills = f.journal, f.fills
    deadline = np.fromiter((b.deadline_us for b in f.days), np.int64, len(f.days))
    s = np.searchsorted(j.ts_us, deadline)
    days = np.flatnonzero((s < f.n) & (s <= f.day_last + 1))
    s = s[days]
    lo, last = np.maximum(f.day_first[days], s - 1), f.day_last[days]
    at_lo = np.where(lo >= s, lo, lo + 1)  # before the deadline: shown held through it by the next event
    done = np.searchsorted(fills.at, lo, side="right")  # fills up to and including event `lo`
    found: list[tuple[int, int, int, int]] = []  # (position, symbol code, day index, qty)
    for code in f.codes:
        held = fills.held_after(code, done)
        at, qty = np.where(held != 0, at_lo, f.n), held.copy()
        flat = np.flatnonzero(held == 0)
        later = fills.next_open(code, done[flat])
        real = later < fills.at.size
        flat, later = flat[real], later[real]
        at[flat], qty[flat] = fills.at[later], fills.own_after[later]
        hit = (held != 0) | (at <= last)
        found.extend(zip(at[hit].tolist(), [code] * int(hit.sum()), days[hit].tolist(), qty[hit].tolist(), strict=True))
    out = held_into(f)
    for i, code, d, qty in found:
        b = f.days[d]
        out.append(_violation(int(j.row[i]), int(j.ts_us[i]), b.day, b.deadline_us, j.symbols[code], qty))
    return out


def held_into(f: Any) -> list[Violation]:
    """`step`'s first check at a chunk's first event: positions the previous chunk left open, shown held
    through the deadline of the previous event's day when this event is at or after it."""
    prev, j = f.ledger.prev_day, f.journal
    ts = int(j.ts_us[0])
    if prev is None or ts < prev.deadline_us:
        return []
    held = f.fills.start_position
    return [
        _violation(int(j.row[0]), ts, prev.day, prev.deadline_us, j.symbols[code], qty)
        for code, qty in enumerate(held)
        if qty
    ]
