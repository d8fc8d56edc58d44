"""The generator is deterministic, stays inside its window on the tick grid, and makes its crash."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from trading_core.data.generator import DayTicks, generate_day, trading_days
from trading_core.data.validate import TickValidator, ValidTick
from trading_core.sim.config import SimPolicy

NY = "America/New_York"
DAY = dt.date(2026, 3, 6)


def day(
    sim: SimPolicy, sizes: dict[str, float], seed: int = 7, on: dt.date = DAY, crash: bool | None = None
) -> DayTicks:
    return generate_day(sim.generator, sizes, NY, on, seed, symbols=("ES", "NQ"), crash=crash)


def test_same_seed_same_ticks(sim_policy: SimPolicy, tick_sizes: dict[str, float]) -> None:
    a, b = day(sim_policy, tick_sizes), day(sim_policy, tick_sizes)
    for col in ("ts_us", "sym", "bid", "ask", "bid_size", "ask_size", "trade_qty"):
        assert np.array_equal(getattr(a, col), getattr(b, col))
    c = day(sim_policy, tick_sizes, seed=8)
    assert not np.array_equal(a.bid[:100], c.bid[:100])


@pytest.mark.parametrize("on", [dt.date(2026, 3, 6), dt.date(2026, 3, 9)])  # either side of the DST change
def test_ticks_inside_local_window_sorted_and_valid(
    sim_policy: SimPolicy, tick_sizes: dict[str, float], on: dt.date
) -> None:
    d = day(sim_policy, tick_sizes, on=on)
    tz = ZoneInfo(NY)
    first = dt.datetime.fromtimestamp(d.ts_us[0] / 1e6, tz)
    last = dt.datetime.fromtimestamp(d.ts_us[-1] / 1e6, tz)
    assert first.time() >= sim_policy.generator.window.start and last.time() < sim_policy.generator.window.end
    assert first.date() == on
    assert np.all(np.diff(d.ts_us) > 0)
    assert np.all(d.ask > d.bid) and np.all(d.bid_size > 0) and np.all(d.ask_size > 0)
    v = TickValidator({"ES": 0.25, "NQ": 0.25})
    assert all(isinstance(v.check(t), ValidTick) for t in d.ticks(tick_sizes))


def test_crash_day_falls_by_the_policy_move(sim_policy: SimPolicy, tick_sizes: dict[str, float]) -> None:
    d = day(sim_policy, tick_sizes, crash=True)
    assert d.crash_start_us is not None
    es = d.sym == 0
    span = sim_policy.generator.crash_minutes * 60 * 1_000_000
    before = d.bid[es & (d.ts_us < d.crash_start_us)][-1]
    after = d.bid[es & (d.ts_us > d.crash_start_us + span)][0]
    expected = float(sim_policy.generator.crash_move) * before
    assert before - after > 0.6 * expected
    assert day(sim_policy, tick_sizes, crash=False).crash_start_us is None


def test_trading_days_skip_weekends() -> None:
    assert trading_days(dt.date(2026, 3, 6), 3) == [dt.date(2026, 3, 6), dt.date(2026, 3, 9), dt.date(2026, 3, 10)]
