"""The O(1) incremental features equal a from-scratch batch recomputation, tick for tick."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.trading_core.data.conftest import POLICIES
from trading_core.data.generator import generate_day
from trading_core.data.validate import TickValidator, ValidTick
from trading_core.features import FEATURE_NAMES, N_FEATURES, SymbolFeatures
from trading_core.features.batch import batch_features, ema_batch, rolling_std_batch
from trading_core.market.instruments import load_instruments
from trading_core.sim.config import load_sim_policy

INS = load_instruments(POLICIES / "instruments.yaml")
SIM = load_sim_policy(POLICIES, INS)
SIZES = {r: float(INS[r].tick_size) for r in INS.roots}


@pytest.mark.parametrize(
    ("seed", "symbol", "spans"),
    [
        (1, "ES", (8, 64, 100, 20, 16)),
        (2, "NQ", (8, 64, 100, 20, 16)),
        (3, "ES", (2, 5, 2, 1, 1)),  # the smallest windows: every edge case of warm-up
        (4, "MNQ", (20, 300, 500, 200, 50)),  # windows longer than the warm-up of a whole hour
    ],
)
def test_incremental_equals_batch(seed: int, symbol: str, spans: tuple[int, int, int, int, int]) -> None:
    d = generate_day(SIM.generator, SIZES, "America/New_York", dt.date(2026, 3, 5), seed, symbols=(symbol,), crash=True)
    n = 6000  # the first 6000 ticks cover warm-up, the open's volatility and many window turns
    v = TickValidator({symbol: SIZES[symbol]})
    feats = SymbolFeatures(*spans)
    out = [0.0] * N_FEATURES
    rows = []
    for k, t in enumerate(d.ticks(SIZES)):
        if k == n:
            break
        vt = v.check(t)
        assert isinstance(vt, ValidTick)
        feats.update(vt, out)
        rows.append(list(out))
    fast, slow, vol_w, mom_w, flow = spans
    batch = batch_features(
        d.bid[:n], d.ask[:n], d.bid_size[:n], d.ask_size[:n], d.trade_qty[:n],
        ema_fast_span=fast, ema_slow_span=slow, vol_window=vol_w, momentum_window=mom_w, flow_span=flow,
    )  # fmt: skip
    inc = np.array(rows)
    assert inc.shape == batch.shape == (n, len(FEATURE_NAMES))
    np.testing.assert_allclose(inc, batch, rtol=1e-9, atol=1e-9)


def test_ema_batch_matches_its_definition() -> None:
    x = np.random.default_rng(0).normal(size=1000).cumsum()
    a = 2 / (10 + 1)
    y = [x[0]]
    for value in x[1:]:
        y.append(y[-1] + a * (value - y[-1]))
    np.testing.assert_allclose(ema_batch(x, 10), y, rtol=1e-12, atol=1e-12)


def test_rolling_std_uses_the_available_window_while_warming_up() -> None:
    x = np.array([1.0, 3.0, 5.0, 7.0])
    np.testing.assert_allclose(rolling_std_batch(x, 3), [0.0, 1.0, np.std([1, 3, 5]), np.std([3, 5, 7])])
