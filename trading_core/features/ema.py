"""Exponential moving average, one float per update.

alpha = 2 / (span + 1); the first value seeds the average (ema_0 = x_0), then
ema_k = ema_{k-1} + alpha (x_k - ema_{k-1}). batch.ema_batch computes the same series with numpy.
"""

from __future__ import annotations


def alpha_of(span: int) -> float:
    return 2.0 / (span + 1.0)


class Ema:
    __slots__ = ("alpha", "value", "warm")

    def __init__(self, span: int) -> None:
        self.alpha = alpha_of(span)
        self.value = 0.0
        self.warm = False

    def update(self, x: float) -> float:
        if self.warm:
            self.value += self.alpha * (x - self.value)
        else:
            self.value, self.warm = x, True
        return self.value
