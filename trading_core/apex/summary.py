"""The account summary (the report's `apex` object) and the order violations are listed in.

Shared by `evaluate` and `ApexMonitor`, so both faces summarise and order identically.
"""

from __future__ import annotations

from fractions import Fraction

from trading_core.apex.result import ApexSummary, PayoutStatus, Violation
from trading_core.apex.rules.base import DayClose
from trading_core.apex.spec import ApexSpec
from trading_core.market.money import to_dollars

SortKey = tuple[float, str, str, str]


def sort_key(v: Violation, position: float) -> SortKey:
    """Processing order of the event (a payout request sits between two events: n - 0.5), then rule id,
    symbol and trading day."""
    return (position, v.rule, v.symbol or "", v.trading_day)


def better_day(best: DayClose | None, close: DayClose | None) -> DayClose | None:
    """The larger winning day of two, the earlier (`best`) on a tie; None when neither made money."""
    if close is not None and close.profit > 0 and (best is None or close.profit > best.profit):
        return close
    return best


def summarize(
    spec: ApexSpec,
    best: DayClose | None,
    *,
    final_equity: int,
    peak: int,
    min_distance: Fraction,
    trading_days: int,
    payout: PayoutStatus,
) -> ApexSummary:
    total = final_equity - spec.start
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
        payout=payout,
    )
