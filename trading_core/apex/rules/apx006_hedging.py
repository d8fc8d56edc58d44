"""APX006 hedging: long and short at once in the same or correlated instruments.

Apex forbids holding opposite positions in one underlying, e.g. long NQ and short MNQ. Roots on the
same underlying form a correlation group in instruments.yaml; a fill that opens or increases a
position while the group holds contracts on the other side is a violation (one journal is one net
account, so a single root cannot be both long and short). Reported once per trading day and symbol;
`value` is the contracts held on the other side, `limit` 0.
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, increases

RULE = RuleInfo(
    id="APX006",
    severity="high",
    title="Hedged position",
    fix="Close one side: never hold long and short in the same or correlated instruments",
    doc=__doc__ or "",
)


def hedges(is_fill: Any, before: Any, after: Any, opposite: Any) -> Any:
    return is_fill & increases(before, after) & (opposite > 0)


def _violation(index: int, ts: int, day: Any, symbol: str, after: int, opposite: int, group: str) -> Violation:
    side, other = ("long", "short") if after > 0 else ("short", "long")
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=opposite,
        limit=0,
        symbol=symbol,
        message=(
            f"{symbol} fill leaves the account {side} {abs(after)} {symbol} while {other} {opposite} contracts"
            f" in correlated group {group!r}; limit 0 opposite contracts"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    e = s.event
    if not hedges(e.is_fill, s.own_before, s.own_after, s.opposite):
        return []
    seen: set[tuple[Any, str]] = memory.setdefault("seen", set())
    key = (s.bounds.day, e.symbol)
    if key in seen:
        return []
    seen.add(key)
    group = s.spec.policy.instruments.group_of[e.symbol]
    return [_violation(e.index, e.ts_us, s.bounds.day, e.symbol, s.own_after, s.opposite, group)]


def scan(f: Any) -> list[Violation]:
    import numpy as np

    j, fills = f.journal, f.fills
    # `grows` is `increases(before, after)`, so these are the fills `hedges` accepts (re-checked on the reported)
    chosen = f.first_per_day_and_symbol(np.flatnonzero(fills.grows & (fills.opposite > 0)))
    before, after, opposite = fills.own_before[chosen], fills.own_after[chosen], fills.opposite[chosen]
    chosen = chosen[hedges(True, before, after, opposite)]
    at = fills.at[chosen]
    group_of = f.spec.policy.instruments.group_of
    out = []
    for row, ts, day, code, held, against in zip(
        j.row[at].tolist(),
        j.ts_us[at].tolist(),
        f.dates(at),
        fills.sym[chosen].tolist(),
        fills.own_after[chosen].tolist(),
        fills.opposite[chosen].tolist(),
        strict=True,
    ):
        root = j.symbols[code]
        out.append(_violation(row, ts, day, root, held, against, group_of[root]))
    return out
