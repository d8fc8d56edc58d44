"""Brackets through the simulated venue: partial fills, OCO, time stop, the stop/target ratio."""

from __future__ import annotations

import pytest

from trading_core.execution.bracket import Bracket
from trading_core.execution.manager import OrderManager
from trading_core.sim.fills import SimVenue

TS = 1_000_000_000


class Desk:
    """An order manager wired to the simulated venue, with ES quotes in ticks (1 tick = 0.25)."""

    def __init__(self) -> None:
        self.venue = SimVenue({"ES": 0.25}, {"ES": 21_400}, slippage=1, per_level=1)
        self.closed: list[Bracket] = []
        self.orders = OrderManager(self.venue, on_closed=self.closed.append)
        self.venue.on_fill = self.orders.on_fill
        self.ts = TS

    def quote(self, bid: int, ask: int, bid_size: int = 10, ask_size: int = 10, trade: int = 0) -> None:
        self.ts += 1000
        self.venue.on_tick(self.ts, "ES", bid * 0.25, ask * 0.25, bid_size, ask_size, trade)
        self.venue.flush()

    def open(self, side: int, qty: int, kind: str = "limit", price: int | None = 100, **kw: int) -> Bracket:
        return self.orders.open_bracket(
            "ES", side, qty, kind, price,  # type: ignore[arg-type]
            target_ticks=kw.get("target", 4), stop_ticks=kw.get("stop", 8), ts_us=self.ts,
            expires_us=kw.get("expires", self.ts + 60_000_000), entry_expires_us=self.ts + 5_000_000,
        )  # fmt: skip


def test_partial_entry_fills_resize_and_reprice_the_legs() -> None:
    d = Desk()
    b = d.open(+1, 3, price=100)
    d.quote(99, 100, ask_size=1)  # the ask comes to our limit with 1 contract
    assert b.entry_filled == 1 and b.stop and b.target
    assert (b.stop.qty, b.stop.price, b.target.qty, b.target.price) == (-1, 92, -1, 104)
    d.quote(98, 99, ask_size=1)  # another contract, still at our limit price (queue-free, at the limit)
    assert b.entry_filled == 2 and b.avg_entry == 100
    b.entry.price = 98  # a repriced entry (as a chasing strategy would) to move the average
    d.quote(97, 98, ask_size=5)
    assert b.entry_filled == 3 and b.avg_entry == pytest.approx((100 + 100 + 98) / 3)
    assert (b.stop.qty, b.target.qty) == (-3, -3)
    assert b.stop.price == 92  # ceil(99.33 - 8): rounded toward the entry (a tighter stop)
    assert b.target.price == 104  # ceil(99.33 + 4): rounded away from the entry
    assert b.open_qty == 3 and not b.entry.active


def test_target_partial_fill_shrinks_the_stop_and_the_last_contract_cancels_it() -> None:
    d = Desk()
    b = d.open(+1, 3, kind="market", price=None)
    d.quote(100, 101)
    assert b.entry_filled == 3 and b.avg_entry == 102  # ask 101 + 1 tick slippage
    assert b.target and b.target.price == 106 and b.stop and b.stop.price == 94
    d.quote(106, 107, bid_size=2)  # bid reaches the target with 2 contracts
    assert b.exit_filled == 2 and b.stop.qty == -1 and b.stop.remaining == -1 and b.target.remaining == -1
    d.quote(106, 107, bid_size=5)
    assert not b.stop.active and not b.target.active  # OCO
    assert d.closed == [b] and not d.orders.brackets


def test_stop_fill_cancels_the_target_and_fills_through_a_gap() -> None:
    d = Desk()
    b = d.open(-1, 2, kind="market", price=None)
    d.quote(100, 101)
    assert b.avg_entry == 99 and b.stop and b.stop.price == 107  # short: stop above, floor(99 + 8)
    d.quote(110, 111)  # gap through the stop: buy stop fills at ask + slippage, not at 107
    assert b.exit_filled == 2 and b.fills[-1].price == 112 and b.fills[-1].ref_price == 107
    assert b.target and not b.target.active and d.closed == [b]


def test_entry_rest_is_cancelled_at_the_first_exit_fill() -> None:
    d = Desk()
    b = d.open(+1, 3, price=100)
    d.quote(99, 100, ask_size=1)
    d.quote(104, 105, bid_size=1)  # target of the one contract fills
    assert not b.entry.active and b.entry_filled == 1 and b.done


def test_time_stop_exits_at_market_and_cancels_everything() -> None:
    d = Desk()
    b = d.open(+1, 2, kind="market", price=None, expires=TS + 5000)
    d.quote(100, 101)
    assert b.open_qty == 2
    d.orders.on_clock("ES", TS + 1500)
    assert b.open_qty == 2  # not yet
    d.ts = TS + 5000
    d.orders.on_clock("ES", d.ts)
    d.venue.flush()
    assert b.exit is not None and b.exit.filled == -2 and b.fills[-1].price == 99  # bid 100 - 1 tick
    assert not b.stop.active and not b.target.active and d.closed == [b]  # type: ignore[union-attr]


def test_unfilled_entry_expires_and_the_bracket_closes() -> None:
    d = Desk()
    b = d.open(+1, 1, price=90)
    d.quote(99, 100)
    d.orders.on_clock("ES", b.entry_expires_us)
    assert not b.entry.active and b.done and d.closed == [b]


@pytest.mark.parametrize(("target", "stop"), [(1, 5), (3, 7), (6, 6), (4, 20)])
@pytest.mark.parametrize("entries", [[100], [100, 101], [100, 101, 101], [100, 103, 102, 102]])
def test_rounding_keeps_stop_within_ratio(target: int, stop: int, entries: list[int]) -> None:
    for side in (1, -1):
        b = Bracket(1, "ES", side, len(entries), "market", None, target_ticks=target, stop_ticks=stop,
                    ts_us=0, expires_us=1, entry_expires_us=1, next_id=iter(range(2, 99)).__next__)  # fmt: skip
        b.avg_entry = sum(entries) / len(entries)
        stop_dist = abs(b.avg_entry - b.stop_price())
        target_dist = abs(b.target_price() - b.avg_entry)
        assert stop_dist <= stop and target_dist >= target
        assert stop_dist <= target_dist * stop / target + 1e-9
