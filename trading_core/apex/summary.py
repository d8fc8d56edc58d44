"""The account summary (the report's `apex` object) and the order violations are listed in.

Shared by `evaluate` and `ApexMonitor`, so both faces summarise and order identically.
"""

from __future__ import annotations

from fractions import Fraction

from trading_core.apex.result import ApexSummary, Violation
from trading_core.apex.rules.base import DayClose, best_day
from trading_core.apex.spec import ApexSpec
from trading_core.market.money import to_dollars


def sort_key(v: Violation, position: int) -> tuple[int, str, str, str]:
    """Processing order of the event, then rule id, symbol and trading day."""
    return (position, v.rule, v.symbol or "", v.trading_day)


def summarize(
    spec: ApexSpec,
    closes: list[DayClose],
    *,
    final_equity: int,
    peak: int,
    min_distance: Fraction,
    trading_days: int,
) -> ApexSummary:
    total = final_equity - spec.start
    best = best_day(closes)
    share = None
    if best is not None and total > 0:
        share = float(Fraction(best.profit, total))
    return ApexSummary(
        ruleset=spec.policy.ruleset_name,
        account=spec.policy.account_name,
        starting_balance=to_dollars(spec.start),
        final_equity=to_dollars(final_equity),
        peak_equity=to_dollars(peak),
        min_distance_to_threshold=to_dollars(min_distance),
        best_day=None if best is None else best.day.isoformat(),
        best_day_share=share,
        total_profit=to_dollars(total),
        trading_days=trading_days,
    )
