"""The feature vector of features/vector.py recomputed for a whole series at once, with numpy.

Independent of the incremental code on purpose (block matrix EMAs, sliding-window std), so the test
that both agree checks the arithmetic, and the model trains on exactly what the engine computes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trading_core.features.ema import alpha_of

if TYPE_CHECKING:
    import numpy as np

BLOCK = 128


def ema_batch(x: np.ndarray, span: int) -> np.ndarray:
    """EMA with ema_0 = x_0: y_k = a y_{k-1} + (1 - a) x_k, solved block by block with a matmul."""
    import numpy as np

    n = len(x)
    if n == 0:
        return np.zeros(0)
    alpha = alpha_of(span)
    a = 1.0 - alpha
    b = alpha * np.asarray(x, dtype=np.float64)
    b[0] = x[0]  # the seed: y_0 = x_0
    nb = -(-n // BLOCK)
    padded = np.zeros(nb * BLOCK)
    padded[:n] = b
    j = np.arange(BLOCK)
    powers = np.where(j[:, None] >= j[None, :], a ** np.clip(j[:, None] - j[None, :], 0, None), 0.0)
    inner = padded.reshape(nb, BLOCK) @ powers.T  # block-local sums, as if each block started at 0
    carry_gain = a ** (j + 1)
    out = np.empty_like(inner)
    carry = 0.0
    for i in range(nb):
        out[i] = inner[i] + carry * carry_gain
        carry = out[i, -1]
    return out.reshape(-1)[:n]


def rolling_std_batch(x: np.ndarray, window: int) -> np.ndarray:
    import numpy as np

    n = len(x)
    out = np.empty(n)
    head = min(window - 1, n)
    for k in range(head):
        out[k] = np.std(x[: k + 1])
    if n >= window:
        out[window - 1 :] = np.lib.stride_tricks.sliding_window_view(x, window).std(axis=1)
    return out


def batch_features(
    bid: np.ndarray,
    ask: np.ndarray,
    bid_size: np.ndarray,
    ask_size: np.ndarray,
    trade_qty: np.ndarray,
    *,
    ema_fast_span: int,
    ema_slow_span: int,
    vol_window: int,
    momentum_window: int,
    flow_span: int,
) -> np.ndarray:
    """(n, N_FEATURES) float64 features of one symbol's ticks (prices in integer ticks)."""
    import numpy as np

    mid_abs = (bid + ask) * 0.5
    mid = mid_abs - mid_abs[0]
    ret1 = np.concatenate(([0.0], np.diff(mid)))
    lagged = np.concatenate((np.full(momentum_window, mid[0]), mid))[: len(mid)]
    slow = ema_batch(mid, ema_slow_span)
    q = trade_qty.astype(np.float64)
    signed, total = ema_batch(q, flow_span), ema_batch(np.abs(q), flow_span)
    size = (bid_size + ask_size).astype(np.float64)
    book = np.divide(bid_size - ask_size, size, out=np.zeros(len(mid)), where=size > 0)
    flow = np.divide(signed, total, out=np.zeros(len(mid)), where=total > 0)
    return np.column_stack(
        [
            ret1,
            (mid - lagged) / momentum_window,
            ema_batch(mid, ema_fast_span) - slow,
            mid - slow,
            rolling_std_batch(ret1, vol_window),
            (ask - bid).astype(np.float64),
            book,
            flow,
        ]
    )
