"""Bad ticks are rejected with a reason and counted; good ticks come out in integer ticks."""

from __future__ import annotations

import pytest

from trading_core.data.ticks import Tick
from trading_core.data.validate import Rejection, TickValidator, ValidTick

GOOD = Tick(1_000_000, "ES", 5000.25, 5000.5, 7, 9, -2)


def validator() -> TickValidator:
    v = TickValidator({"ES": 0.25, "NQ": 0.25})
    assert isinstance(v.check(GOOD), ValidTick)
    return v


@pytest.mark.parametrize(
    ("tick", "reason"),
    [
        (GOOD._replace(bid=float("nan")), "nan"),
        (GOOD._replace(ask=float("inf")), "nan"),
        (GOOD._replace(bid=5000.75), "crossed"),
        (GOOD._replace(bid=5000.5), "crossed"),  # locked: bid == ask is not tradeable either
        (GOOD._replace(ts_us=999_999), "out_of_order"),
        (GOOD._replace(symbol="ZZ"), "unknown_symbol"),
        (GOOD._replace(bid=5000.3), "off_grid"),
        (GOOD._replace(bid=-1.0), "non_positive"),
        (GOOD._replace(ask_size=-1), "non_positive"),
    ],
)
def test_bad_tick_is_rejected_with_its_reason(tick: Tick, reason: str) -> None:
    v = validator()
    result = v.check(tick)
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert v.counts == {reason: 1}
    assert v.recent[-1] == result


def test_good_tick_in_integer_ticks() -> None:
    v = TickValidator({"ES": 0.25})
    result = v.check(GOOD)
    assert result == ValidTick(1_000_000, "ES", 20001, 20002, 7, 9, -2)
    assert v.accepted == 1


def test_same_timestamp_is_not_out_of_order() -> None:
    v = validator()
    assert isinstance(v.check(GOOD._replace(bid=5000.0)), ValidTick)


def test_bad_ticks_in_a_row_are_counted_and_reset_by_a_good_one() -> None:
    v = validator()
    for _ in range(3):
        v.check(GOOD._replace(bid=float("nan")))
    assert v.bad_in_row["ES"] == 3
    v.check(GOOD._replace(ts_us=2_000_000))
    assert v.bad_in_row["ES"] == 0


def test_recent_rejections_stay_bounded() -> None:
    v = validator()
    for k in range(2000):
        v.check(GOOD._replace(ts_us=k, bid=float("nan")))
    assert len(v.recent) == v.recent.maxlen
    assert v.rejected == 2000
