"""A fixed-size window in O(1) per update: a ring buffer of the last values.

features/vector.py keeps running sums next to it for the rolling standard deviation (population std
of the last `window` values, fewer while warming up). Why running sums are safe there: the values are
one-tick mid changes in half ticks, so the sums are exact in binary floating point and never drift.
"""

from __future__ import annotations


class RollingWindow:
    """The last `size` values; `push` returns the value that fell out (None while filling)."""

    __slots__ = ("_buf", "_i", "count", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._buf = [0.0] * size
        self._i = 0
        self.count = 0

    def push(self, x: float) -> float | None:
        i = self._i
        old = self._buf[i] if self.count == self.size else None
        self._buf[i] = x
        self._i = i + 1 if i + 1 < self.size else 0
        if self.count < self.size:
            self.count += 1
        return old

    def oldest(self) -> float:
        """The value `size - 1` pushes ago (the first value while filling)."""
        return self._buf[self._i] if self.count == self.size else self._buf[0]
