"""Training rows from generated days: batch features of each symbol and a forward-looking label.

The label of tick k is 1 when the symbol's mid `horizon` ticks later is above mid_k, 0 when below;
ties and the last `horizon` ticks (no future) are dropped. Features are the batch twin of what the
engine computes live (trading_core/features/batch.py), so the model trains on the live inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trading_core.data.generator import generate_day, trading_days
from trading_core.features.batch import batch_features

if TYPE_CHECKING:
    import numpy as np

    from trading_core.engine.config import StrategyPolicy
    from trading_core.sim.config import GeneratorPolicy


def training_rows(
    strategy: StrategyPolicy, gen: GeneratorPolicy, tick_sizes: dict[str, float], timezone: str
) -> tuple[np.ndarray, np.ndarray]:
    """(X float64 [n, 8], y float64 [n]) over the training days and every traded symbol."""
    import numpy as np

    tr = strategy.model.training
    f = strategy.features
    xs, ys = [], []
    symbols = tuple(strategy.symbols)
    for day in trading_days(tr.first_day, tr.days):
        ticks = generate_day(gen, tick_sizes, timezone, day, tr.seed, symbols=symbols)
        for k in range(len(symbols)):
            i = np.flatnonzero(ticks.sym == k)
            bid, ask = ticks.bid[i], ticks.ask[i]
            x = batch_features(
                bid,
                ask,
                ticks.bid_size[i],
                ticks.ask_size[i],
                ticks.trade_qty[i],
                ema_fast_span=f.ema_fast_span,
                ema_slow_span=f.ema_slow_span,
                vol_window=f.vol_window,
                momentum_window=f.momentum_window,
                flow_span=f.flow_span,
            )
            mid = (bid + ask) * 0.5
            h = tr.horizon_ticks
            move = mid[h:] - mid[:-h]
            keep = np.flatnonzero(move != 0)
            keep = keep[keep >= strategy.model.warmup_ticks][:: tr.row_stride]
            xs.append(x[keep])
            ys.append((move[keep] > 0).astype(np.float64))
    return np.concatenate(xs), np.concatenate(ys)
