"""APX001 trailing drawdown: equity at or below the trailing threshold; the account is blown.

The threshold trails the equity high-water mark: by a percentage of it (seed: 10 %) or by the
account's fixed amount (Apex: $2,500 on 50K). Intraday-trail rule sets trail the peak of equity
*including unrealized P&L*, event by event, so a wick that marks an open position down can breach
it; EOD-trail rule sets move it only at the session close. Where the preset says so it stops trailing
at starting balance + a fixed amount (Apex PA: + $100). It never moves down. Reported once: after a
breach the account is over, so no later APX001 follows.
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, dollars_scaled
from trading_core.market.money import fmt_money, to_dollars

RULE = RuleInfo(
    id="APX001",
    severity="critical",
    title="Trailing drawdown breached",
    fix="Cut risk well before the threshold (the guard flattens at the danger level); the account must be reset",
    doc=__doc__ or "",
)


def breached(equity: Any, threshold: Any, scale: int) -> Any:
    return equity * scale <= threshold


def _violation(index: int, ts: int, day: Any, equity: int, hwm: int, threshold: int, scale: int) -> Violation:
    limit = dollars_scaled(threshold, scale)
    return RULE.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=to_dollars(equity),
        limit=limit,
        message=(
            f"equity {fmt_money(equity)} is at or below the trailing drawdown threshold"
            f" ${limit:,.2f} (high-water mark {fmt_money(hwm)}); the account is blown"
        ),
    )


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    scale = s.spec.dd.scale
    if memory.get("blown") or not breached(s.equity, s.threshold, scale):
        return []
    memory["blown"] = True
    return [_violation(s.event.index, s.event.ts_us, s.bounds.day, s.equity, s.hwm, s.threshold, scale)]


def scan(f: Any) -> list[Violation]:
    if f.memory.get(RULE.id, {}).get("blown"):
        return []  # an earlier chunk breached it: the account is over
    runs, scale = f.runs, f.spec.dd.scale
    # `breached` (equity x scale <= threshold) per run of one threshold; a run breaches iff its low does
    i = runs.first_at_or_below(f.equity, runs.threshold)
    if i is None:
        return []
    r = int(runs.of(i))
    equity, hwm, threshold = int(f.equity[i]), int(runs.hwm[r]), int(runs.threshold[r])
    return [_violation(int(f.journal.row[i]), int(f.journal.ts_us[i]), f.day_at(i), equity, hwm, threshold, scale)]


def carry(f: Any, found: list[Violation]) -> dict[str, Any]:
    return {"blown": bool(found) or bool(f.memory.get(RULE.id, {}).get("blown"))}
