"""APX005 max contracts: more contracts open than the account allows.

Open contracts are weighted: each root counts its `contract_weight` from instruments.yaml (minis 1,
micros 0.1 by default), summed over every open position. The cap is the account's `max_contracts`; a
Performance Account preset with `half_size_until_threshold_locks` allows only `half_size_contracts`
until the trailing threshold stops trailing. A fill that raises the weighted total above the cap is
a violation; reported once per trading day and symbol. `value` and `limit` are weighted contracts.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step

RULE = RuleInfo(
    id="APX005",
    severity="high",
    title="Too many contracts",
    fix="Size down: the weighted total of open contracts must stay within the account's cap",
    doc=__doc__ or "",
)


def over_cap(is_fill: Any, before: Any, after: Any, cap: Any) -> Any:
    return is_fill & (after > cap) & (after > before)


def _violation(index: int, ts: int, day: Any, symbol: str, exposure: int, cap: int, wscale: int) -> Violation:
    value, limit = Fraction(exposure, wscale), Fraction(cap, wscale)
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=float(value),
        limit=float(limit),
        symbol=symbol,
        message=(
            f"{symbol} fill raises open contracts to {float(value):g} (weighted); the account allows {float(limit):g}"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    e = s.event
    if not over_cap(e.is_fill, s.exposure_before, s.exposure, s.cap):
        return []
    seen: set[tuple[Any, str]] = memory.setdefault("seen", set())
    key = (s.bounds.day, e.symbol)
    if key in seen:
        return []
    seen.add(key)
    return [_violation(e.index, e.ts_us, s.bounds.day, e.symbol, s.exposure, s.cap, s.spec.weight_scale)]


def scan(f: Any) -> list[Violation]:
    import numpy as np

    j, fills, spec = f.journal, f.fills, f.spec
    # the cap is at least the smaller of its two values: only fills above that can break it
    least = spec.cap_full if spec.cap_half is None else min(spec.cap_full, spec.cap_half)
    above = np.flatnonzero(fills.exposure > least)
    cap = spec.cap(f.runs.hwm[f.runs.of(fills.at[above])], np.where)
    over = above[over_cap(True, fills.exposure_before(above), fills.exposure[above], cap)]
    chosen = f.first_per_day_and_symbol(over)
    at = fills.at[chosen]
    return [
        _violation(row, ts, day, j.symbols[code], exposure, limit, spec.weight_scale)
        for row, ts, day, code, exposure, limit in zip(
            j.row[at].tolist(),
            j.ts_us[at].tolist(),
            f.dates(at),
            fills.sym[chosen].tolist(),
            fills.exposure[chosen].tolist(),
            cap[np.searchsorted(above, chosen)].tolist(),
            strict=True,
        )
    ]
