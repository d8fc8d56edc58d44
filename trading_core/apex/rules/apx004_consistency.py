"""APX004 consistency: the best trading day made more than the allowed share of total profit.

Profit per trading day (18:00 ET to 16:59 ET next day) is the change of equity from the previous
day's last event (or the starting balance) to the day's last event. The largest winning day may be at
most `consistency.max_share` of the total net profit since the start (seed and 3.0: 30 %, above it is
a breach; 4.0: 50 %, "50 % or more" is a breach, `inclusive: true`). Checked once over the whole
journal (it decides a payout, it does not end the account), and only when total profit is positive.
Reported at the best day's last event; `value` and `limit` are shares (0.42 = 42 %).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import DayClose, RuleInfo, best_day
from trading_core.apex.spec import ApexSpec
from trading_core.market.money import fmt_money

RULE = RuleInfo(
    id="APX004",
    severity="high",
    title="Consistency rule broken",
    fix="Spread profit over more days (or trade on until the best day is within the share) before asking for a payout",
    doc=__doc__ or "",
)


def finish(spec: ApexSpec, closes: list[DayClose], final_equity: int) -> list[Violation]:
    best = best_day(closes)
    total = final_equity - spec.start
    if best is None or spec.consistency is None or not spec.consistency_breached(best.profit, total):
        return []
    num, den, inclusive = spec.consistency
    share, limit = Fraction(best.profit, total), Fraction(num, den)
    bound = "below" if inclusive else "at most"
    return [
        RULE.violation(
            index=best.last_index,
            ts_us=best.last_ts_us,
            day=best.day,
            value=float(share),
            limit=float(limit),
            message=(
                f"best trading day {best.day} made {fmt_money(best.profit)} = {float(share):.1%} of the total"
                f" profit {fmt_money(total)}; the limit is {bound} {float(limit):.0%}"
            ),
        )
    ]


def scan(f: Any) -> list[Violation]:
    return finish(f.spec, f.closes(), int(f.equity[-1]))
