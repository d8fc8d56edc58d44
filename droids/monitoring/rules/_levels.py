"""Shared body of MON001 and MON002: an episode at one of the Apex drawdown levels, with hysteresis.

An episode starts at the first event whose equity is at or below the level, the exact test of
APX010 / APX011 (`trading_core.apex`: the same integers, so the monitor pages on the very event
`droid apex check` reports) and ends only once the drawdown is back `drawdown.resolve_margin` (a
share of the allowed drawdown) below the level: a drawdown flapping +-0.05 % around 8 % stays one
episode and pages once.
"""

from __future__ import annotations

from typing import Any

from droids.monitoring.rules.base import Signal, View, money, schmitt


class LevelDetector:
    def __init__(self, rule_id: str, name: str, share: float, margin: float, cut: str) -> None:
        self.rule_id, self.name, self.share, self.margin, self.cut = rule_id, name, share, margin, cut
        self.inside = False

    def feed(self, view: View) -> list[Signal]:
        c = view.chunk
        if c is None or not len(c):
            return []
        enter = c.equity <= getattr(c, self.cut)
        leave = c.used < self.share - self.margin
        at, firing, self.inside = schmitt(enter, leave, self.inside)
        return [self._signal(c, int(i), bool(f)) for i, f in zip(at.tolist(), firing.tolist(), strict=True)]

    def _signal(self, c: Any, i: int, firing: bool) -> Signal:
        used, eq, hwm, thr = float(c.used[i]), int(c.equity[i]), int(c.hwm[i]), float(c.threshold[i])
        level = int(getattr(c, self.cut)[i])
        if firing:
            message = (
                f"drawdown {used:.1%} of the allowed drawdown reached the {self.name} level ({self.share:.0%}):"
                f" equity {money(eq)}, {money(hwm - eq)} below the high-water mark {money(hwm)};"
                f" the trailing threshold {money(thr)} is {money(eq - thr)} away"
            )
        else:
            message = (
                f"resolved: drawdown back to {used:.1%} of the allowed drawdown, under the {self.name} level"
                f" ({self.share:.0%}) by more than {self.margin:.0%}; equity {money(eq)},"
                f" {money(eq - thr)} above the threshold"
            )
        return Signal(
            rule=self.rule_id,
            subject="account",
            firing=firing,
            ts_us=int(c.ts_us[i]),
            position=c.offset + i,
            row=int(c.row[i]),
            value=round(used, 6),
            limit=self.share,
            message=message,
            extra={"equity": eq / 10_000, "level": level / 10_000, "threshold": thr / 10_000},
        )
