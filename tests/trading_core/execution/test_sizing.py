"""Fractional Kelly with the correlation adjustment, the volatility overlay and the caps."""

from __future__ import annotations

import pytest

from trading_core.execution.sizing import correlation_load, size_entry

BASE = dict(
    p_win=0.8, target_ticks=6, stop_ticks=6, kelly_fraction=0.25, equity_units=50_000 * 10_000,
    max_risk_units=1_000 * 10_000, tick_value_units=125_000, vol=1.0, vol_target=1.5, corr_load=0.0,
    tier_factor=1.0, max_per_order=10, symbol_room=10, account_room=10.0, weight=1.0,
)  # fmt: skip


@pytest.mark.parametrize(
    ("change", "contracts", "reason"),
    [
        ({}, 10, "max_contracts_per_order"),  # f* = 0.6, 0.25x -> 15 % of $50k, capped at $1,000 -> 13 -> 10
        ({"max_per_order": 20, "symbol_room": 20, "account_room": 20.0}, 13, "max_risk_per_trade"),
        ({"p_win": 0.5}, 0, "no edge (Kelly <= 0)"),
        # f* = 0.55 - 0.45 = 0.1; 0.25x -> 2.5 % of $10k = $250 at $75 a contract -> 3
        ({"p_win": 0.55, "max_risk_units": 10**12, "equity_units": 10_000 * 10_000}, 3, "kelly"),
        ({"max_risk_units": 100 * 10_000}, 1, "max_risk_per_trade"),  # $100 / $75 per contract
        ({"max_risk_units": 70 * 10_000}, 0, "max_risk_per_trade"),
        ({"vol": 3.0}, 6, "max_risk_per_trade"),  # vol overlay 1.5/3: $500 -> 6 contracts
        ({"tier_factor": 0.5}, 6, "max_risk_per_trade"),
        ({"symbol_room": 2}, 2, "max_position_contracts"),
        ({"account_room": 3.0}, 3, "account contract cap"),
        ({"account_room": 0.5, "weight": 0.1}, 5, "account contract cap"),  # micros: weight 0.1
        # correlation load 1: f = 0.25 x 0.6 / (1 + 1) = 7.5 % of $50k = $3,750 at $75 -> 50 (100 without it)
        (
            {
                "corr_load": 1.0,
                "max_risk_units": 10**12,
                "max_per_order": 999,
                "symbol_room": 999,
                "account_room": 999.0,
            },
            50,
            "kelly",
        ),
        ({"max_risk_units": 10**12, "max_per_order": 999, "symbol_room": 999, "account_room": 999.0}, 100, "kelly"),
        ({"corr_load": -1.0}, 10, "max_contracts_per_order"),  # opposite-side exposure never enlarges the bet
    ],
)
def test_size_table(change: dict[str, float], contracts: int, reason: str) -> None:
    d = size_entry(**{**BASE, **change})  # type: ignore[arg-type]
    assert (d.contracts, d.reason) == (contracts, reason)


def test_kelly_numbers() -> None:
    d = size_entry(**{**BASE, "p_win": 0.8, "target_ticks": 4, "stop_ticks": 8})  # type: ignore[arg-type]
    assert d.kelly == pytest.approx(0.8 - 0.2 / 0.5)  # payoff 0.5: f* = 0.4
    assert d.fraction == pytest.approx(0.1)
    worse = size_entry(**{**BASE, "p_win": 0.6, "target_ticks": 4, "stop_ticks": 8})  # type: ignore[arg-type]
    assert worse.contracts == 0 and worse.kelly == pytest.approx(-0.2)


@pytest.mark.parametrize(
    ("symbol", "direction", "positions", "load"),
    [
        ("ES", 1, {}, 0.0),
        ("ES", 1, {"NQ": 2}, 0.9 * 2 / 10),
        ("ES", -1, {"NQ": 2}, -0.9 * 2 / 10),
        ("ES", 1, {"MES": 5}, 1.0 * 5 * 0.1 / 10),  # same group: rho 1, micro weight
        ("ES", 1, {"NQ": 2, "MES": -5}, 0.18 - 0.05),
    ],
)
def test_correlation_load(symbol: str, direction: int, positions: dict[str, int], load: float) -> None:
    rho = {("ES", "NQ"): 0.9, ("NQ", "ES"): 0.9, ("ES", "MES"): 1.0, ("MES", "ES"): 1.0}
    weights = {"ES": 1.0, "NQ": 1.0, "MES": 0.1}
    assert correlation_load(symbol, direction, positions, rho, weights, 10.0) == pytest.approx(load)
