"""The kill switch: once engaged, everything is flattened and cancelled and no order but an exit passes.

It latches: only a new engine (an operator's decision, outside the trading core) clears it. The
monitoring droid triggers it through `Engine.kill(reason)`; the engine engages this switch, flattens
and cancels, and SENTINEL denies every entry with SEN001 from then on.
"""

from __future__ import annotations


class KillSwitch:
    __slots__ = ("engaged", "reason", "ts_us")

    def __init__(self) -> None:
        self.engaged = False
        self.reason = ""
        self.ts_us = 0

    def engage(self, reason: str, ts_us: int) -> bool:
        """Engage; False when it already was (the first reason is kept)."""
        if self.engaged:
            return False
        self.engaged, self.reason, self.ts_us = True, reason, ts_us
        return True
