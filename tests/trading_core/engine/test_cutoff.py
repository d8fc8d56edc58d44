"""A strategy that ignores the entry cutoff still cannot open a position after it: the guard denies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.trading_core.engine.conftest import STRATEGY, evaluate_events, rig, ticks
from trading_core.engine.pipeline import Engine

NY = ZoneInfo("America/New_York")


class CutoffBlindEngine(Engine):
    """The engine with a strategy bug: it keeps entering until its own flatten time."""

    def _new_day(self) -> None:
        super()._new_day()
        self._entries_until = self._flat_by


def test_late_entries_are_denied_and_the_day_ends_flat() -> None:
    risk = STRATEGY.risk.model_copy(
        update={"daily_loss_limit": Decimal(10**6), "min_daily_loss_limit": Decimal(10**6),
                "daily_profit_cap": Decimal(10**6)}
    )  # fmt: skip
    brackets = STRATEGY.brackets.model_copy(update={"flatten_before_deadline_s": 60})
    strategy = STRATEGY.model_copy(update={"risk": risk, "brackets": brackets})
    r = rig(strategy)
    r.engine.__class__ = CutoffBlindEngine  # same state, the buggy entry window
    r.drive(ticks(seed=7))
    cutoff = dt.datetime(2026, 3, 5, 16, 45, tzinfo=NY).timestamp() * 1e6
    denials = [e for e in r.engine.log.recent if e.kind == "deny"]
    assert denials and {e.rule for e in denials} == {"APX003"} and all(e.ts_us >= cutoff for e in denials)
    position: dict[str, int] = {}
    for kind, ts, sym, qty, _price, _fee in r.events:
        if kind != "fill":
            continue
        held = position.get(sym, 0)
        assert not (abs(held + qty) > abs(held) and ts >= cutoff)  # no opening fill after the cutoff
        position[sym] = held + qty
    assert not any(position.values())
    violations = [v.rule for v in evaluate_events(r.events).violations if v.rule != "APX004"]
    assert violations == []
