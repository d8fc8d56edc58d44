"""Position size: fractional Kelly with a correlation adjustment, a volatility-target overlay and caps.

For a bracket that wins `target` ticks or loses `stop` ticks, with model probability p of winning:
  payoff b = target / stop;   full Kelly f* = p - (1 - p) / b   (no trade when f* <= 0)
  f = kelly_fraction x f*                                      (seed: 0.25x; full Kelly over-bets)
  correlation load L = sum over open positions j of rho(i, j) x d_i x d_j x |n_j| x w_j / cap
      (d = direction +1/-1, n = contracts, w = cap weight, cap = the account's max contracts);
  f_adj = f / (1 + max(0, L))     (same-direction correlated risk shrinks the bet; opposite-direction
      risk never enlarges it: Apex forbids hedging inside a group anyway)
  risk = min(f_adj x equity, max_risk_per_trade) x min(1, vol_target / vol) x tier factor
  contracts = floor(risk / (stop x tick value)), capped by max_contracts_per_order, by the per-symbol
      cap and by the room left under the account's weighted contract cap.
Every input is passed in; the function is pure, so the tests drive it with a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SizeDecision:
    contracts: int
    kelly: float  # full Kelly fraction f*
    fraction: float  # after kelly_fraction and the correlation adjustment
    corr_load: float
    vol_scale: float
    reason: str  # what bound the size


def size_entry(
    *,
    p_win: float,
    target_ticks: int,
    stop_ticks: int,
    kelly_fraction: float,
    equity_units: int,
    max_risk_units: int,
    tick_value_units: int,
    vol: float,
    vol_target: float,
    corr_load: float,
    tier_factor: float,
    max_per_order: int,
    symbol_room: int,
    account_room: float,
    weight: float,
) -> SizeDecision:
    b = target_ticks / stop_ticks
    kelly = p_win - (1.0 - p_win) / b
    if kelly <= 0.0:
        return SizeDecision(0, kelly, 0.0, corr_load, 1.0, "no edge (Kelly <= 0)")
    fraction = kelly_fraction * kelly / (1.0 + max(0.0, corr_load))
    vol_scale = min(1.0, vol_target / vol) if vol > 0.0 else 1.0
    risk = min(fraction * equity_units, float(max_risk_units))
    reason = "kelly" if fraction * equity_units <= max_risk_units else "max_risk_per_trade"
    risk *= vol_scale * tier_factor
    contracts = math.floor(risk / (stop_ticks * tick_value_units))
    by_account = math.floor(account_room / weight + 1e-9) if weight > 0 else 0
    for cap, name in (
        (max_per_order, "max_contracts_per_order"),
        (symbol_room, "max_position_contracts"),
        (by_account, "account contract cap"),
    ):
        if contracts > cap:
            contracts, reason = cap, name
    return SizeDecision(max(0, contracts), kelly, fraction, corr_load, vol_scale, reason)


def correlation_load(
    symbol: str,
    direction: int,
    positions: dict[str, int],
    rho: dict[tuple[str, str], float],
    weights: dict[str, float],
    cap: float,
) -> float:
    """L of the module docstring; `rho` holds both orders of each pair (and 1.0 within a group)."""
    load = 0.0
    for other, qty in positions.items():
        if not qty:
            continue
        r = 1.0 if other == symbol else rho.get((symbol, other), 0.0)
        load += r * direction * (1 if qty > 0 else -1) * abs(qty) * weights[other] / cap
    return load
