"""The ledger: average price, realized and unrealized P&L, fees and equity, exact to the money unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trading_core.apex.conftest import policy
from trading_core.apex.journal import Event, make_event
from trading_core.apex.ledger import Ledger
from trading_core.apex.spec import compile_spec


def _ledger() -> Ledger:
    return Ledger(compile_spec(policy()))


def test_average_price_realized_and_unrealized() -> None:
    ledger = _ledger()
    inst = ledger.instruments
    for ts, qty, price, fee in [("10:00", 2, "5000", "2"), ("10:01", 1, "5003", "1"), ("10:02", -2, "5010", "2")]:
        ledger.apply(
            make_event(inst, ts=f"2026-03-10T{ts}:00Z", kind="fill", symbol="ES", qty=qty, price=price, fee=fee)
        )
    assert ledger.position("ES") == 1
    assert ledger.average_price("ES") == Decimal(5001)  # (2 x 5000 + 5003) / 3
    assert ledger.realized_units("ES") == 2 * 9 * 50 * 10_000  # 2 contracts x 9 points x $50
    ledger.apply(make_event(inst, ts="2026-03-10T10:03:00Z", kind="mark", symbol="ES", price="4999.75"))
    assert ledger.unrealized_units("ES") == Fraction(-1.25 * 50 * 10_000)
    assert ledger.equity == 50_000 * 10_000 + 900 * 10_000 - 62.5 * 10_000 - 5 * 10_000
    assert ledger.peak == 50_000 * 10_000 + (900 + 450 - 5) * 10_000  # the open 1 @ 5001 marked at 5010


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5).filter(bool), st.integers(19_000, 21_000)), min_size=1, max_size=30))
def test_realized_plus_unrealized_is_the_mark_to_market(fills: list[tuple[int, int]]) -> None:
    ledger = _ledger()
    for k, (qty, ticks) in enumerate(fills):
        ledger.apply(Event(k, k, "fill", "NQ", qty, ticks, 0))
    assert ledger.realized_units("NQ") + ledger.unrealized_units("NQ") == ledger.pnl
    assert ledger.equity == ledger.spec.start + ledger.pnl
