"""Shared body of the two drawdown-level rules (APX010 soft warning, APX011 danger).

A level sits above the trailing threshold by a share of the allowed drawdown: with the seed's 10 %
allowance, warn_at 0.80 fires at 8 % drawdown and danger_at 0.95 at 9.5 %. An episode starts at the
first event whose equity is at or below the level and ends when equity climbs back above it; each
episode is reported once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules.base import RuleInfo, Step, dollars_scaled
from trading_core.market.money import fmt_money, to_dollars

LevelOf = Callable[[Any, Any, Any], Any]  # (drawdown math, hwm, threshold) -> level (scaled)


def _violation(
    rule: RuleInfo, name: str, share: Any, index: int, ts: int, day: Any, equity: int, hwm: int, level: int, spec: Any
) -> Violation:
    scale = spec.dd.scale
    allowance = spec.dd.allowance(hwm)
    used = (hwm * scale - equity * scale) / allowance if allowance else 0.0
    limit = dollars_scaled(level, scale)
    return rule.violation(
        index=index,
        ts_us=ts,
        day=day,
        value=to_dollars(equity),
        limit=limit,
        message=(
            f"equity {fmt_money(equity)} reached the {name} level ${limit:,.2f}: drawdown from the"
            f" high-water mark {fmt_money(hwm)} is {used:.1%} of the allowed drawdown ({name} at {float(share):.0%})"
        ),
    )


def step(rule: RuleInfo, name: str, share: Any, level_of: LevelOf, s: Step, memory: dict[str, Any]) -> list[Violation]:
    level = level_of(s.spec.dd, s.hwm, s.threshold)
    inside = s.equity * s.spec.dd.scale <= level
    entered = inside and not memory.get("inside")
    memory["inside"] = inside
    if not entered:
        return []
    return [_violation(rule, name, share, s.event.index, s.event.ts_us, s.bounds.day, s.equity, s.hwm, level, s.spec)]


def scan(rule: RuleInfo, name: str, share: Any, level_of: LevelOf, f: Any) -> list[Violation]:
    runs = f.runs
    level = level_of(f.spec.dd, runs.hwm, runs.threshold)  # per run of one high-water mark
    inside_before = bool(f.memory.get(rule.id, {}).get("inside"))  # an episode the previous chunk left open
    entered = runs.entries_at_or_below(f.equity, level, inside_before)
    if not entered.size:
        return []
    r, days = runs.of(entered), f.day_of(entered)
    j = f.journal
    return [
        _violation(rule, name, share, row, ts, f.days[d].day, equity, hwm, lvl, f.spec)
        for row, ts, d, equity, hwm, lvl in zip(
            j.row[entered].tolist(),
            j.ts_us[entered].tolist(),
            days.tolist(),
            f.equity[entered].tolist(),
            runs.hwm[r].tolist(),
            level[r].tolist(),
            strict=True,
        )
    ]


def carry(rule: RuleInfo, level_of: LevelOf, f: Any) -> dict[str, Any]:
    """What the next chunk needs: whether the episode is still open at this chunk's last event."""
    runs = f.runs
    return {"inside": runs.inside_at_end(f.equity, level_of(f.spec.dd, runs.hwm, runs.threshold))}
