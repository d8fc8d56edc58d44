"""Exact money units and price ticks from policies/instruments.yaml."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import REPO_ROOT
from trading_core.market.instruments import load_instruments
from trading_core.market.money import fmt_money, to_units

INSTRUMENTS = load_instruments(REPO_ROOT / "policies" / "instruments.yaml")


@pytest.mark.parametrize(
    ("root", "tick_value_usd", "weight", "group"),
    [
        ("ES", 12.5, 1, "sp500"),
        ("MES", 1.25, 0.1, "sp500"),
        ("NQ", 5, 1, "nasdaq100"),
        ("MNQ", 0.5, 0.1, "nasdaq100"),
        ("CL", 10, 1, "crude_oil"),
        ("GC", 10, 1, "gold"),
    ],
)
def test_contract_facts(root: str, tick_value_usd: float, weight: float, group: str) -> None:
    assert INSTRUMENTS.tick_value_units(root) == int(tick_value_usd * 10_000)
    assert float(INSTRUMENTS.weight(root)) == weight
    assert INSTRUMENTS.group_of[root] == group


@pytest.mark.parametrize(
    ("root", "price", "ticks"), [("ES", "5000.25", 20001), ("CL", "78.43", 7843), ("GC", "2000.1", 20001)]
)
def test_price_to_ticks_is_exact(root: str, price: str, ticks: int) -> None:
    assert INSTRUMENTS.price_to_ticks(root, Decimal(price)) == ticks
    assert INSTRUMENTS.ticks_to_price(root, ticks) == Decimal(price)


@pytest.mark.parametrize(("root", "price"), [("ES", "5000.10"), ("CL", "78.435")])
def test_off_grid_price_is_refused(root: str, price: str) -> None:
    with pytest.raises(ValueError, match="not a multiple"):
        INSTRUMENTS.price_to_ticks(root, Decimal(price))


@pytest.mark.parametrize(
    ("amount", "units", "text"),
    [("0.0125", 125, "$0.0125"), ("-1000", -10_000_000, "-$1,000.00"), ("50100", 501_000_000, "$50,100.00")],
)
def test_money_units(amount: str, units: int, text: str) -> None:
    assert to_units(Decimal(amount)) == units
    assert fmt_money(units) == text


def test_sub_unit_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="more than 4 decimal places"):
        to_units(Decimal("0.00001"))
