"""Exponential moving average: the definition every EMA in the trading core follows.

alpha = 2 / (span + 1); the first value seeds the average (ema_0 = x_0), then
ema_k = ema_{k-1} + alpha (x_k - ema_{k-1}). features/vector.py updates its EMAs inline with this
formula (once per tick); batch.ema_batch computes the same series for a whole array.
"""

from __future__ import annotations


def alpha_of(span: int) -> float:
    if span < 1:
        raise ValueError("an EMA span must be at least 1")
    return 2.0 / (span + 1.0)
