"""APX004 consistency: a payout request while the best trading day made more than the allowed share of profit.

Consistency decides a payout, not the account (shared/reference/apex-rules.md): breaking it denies
the payout and the account lives. So it is judged only where a payout is requested: at each
`payout` row of the journal (docs/journal.md), and, with `droid apex check --payout`, as if one were
requested after the journal's last event. Everywhere else the report states, as information,
whether a payout could be requested (the summary's `payout` object, payout.py).

Profit per trading day (18:00 ET to 16:59 ET next day) is the change of equity from the previous
day's last event (or the window's start) to the day's last event. The window runs from the last
approved payout request (one made with net profit and the rule holding) or the start of the journal;
a request inside a trading day counts that day up to the request. The largest winning day may be at
most `consistency.max_share` of the window's net profit (seed and 3.0: 30 %, above it is a breach;
4.0: 50 %, "50 % or more" is a breach, `inclusive: true`); judged only when that profit is positive.
A recorded request is reported at its own row; `--payout` at the best day's last event (there is
no row to point at). `value` and `limit` are shares (0.42 = 42 %).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, iso_ts
from trading_core.apex.spec import ApexSpec
from trading_core.market.money import fmt_money

RULE = RuleInfo(
    id="APX004",
    severity="high",
    title="Payout requested against the consistency rule",
    fix="Spread profit over more days (or trade on until the best day is within the share) before asking for a payout",
    doc=__doc__ or "",
)


def violation(
    spec: ApexSpec,
    best_day: dt.date,
    best: int,
    total: int,
    *,
    at: tuple[int, int, dt.date],
    since: str | None,
    requested: bool,
) -> Violation:
    """The breach as reported at `at` = (data row, time, trading day)."""
    assert spec.consistency is not None
    num, den, inclusive = spec.consistency
    share, limit = Fraction(best, total), Fraction(num, den)
    bound = "below" if inclusive else "at most"
    index, ts_us, day = at
    asked = f"payout requested at {iso_ts(ts_us)} denied: " if requested else ""
    return RULE.violation(
        index=index,
        ts_us=ts_us,
        day=day,
        value=float(share),
        limit=float(limit),
        message=(
            f"{asked}best trading day {best_day} made {fmt_money(best)} = {float(share):.1%} of the total"
            f" profit {fmt_money(total)} since {since or 'the start'}; the limit is {bound} {float(limit):.0%}"
        ),
    )
