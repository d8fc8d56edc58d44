"""A fixed-size log-linear histogram of nanosecond durations (HDR-style, about 3 % resolution).

Values below 64 ns get a bucket each; above, each power of two is split into 32 buckets, so a bucket
is at most 1/32 of its value wide. The bucket array is allocated once: recording is a few integer
operations and a list increment, and memory does not depend on how many values were recorded.
`percentile` answers with the upper edge of the bucket holding that rank (never optimistic);
`max` is exact.
"""

from __future__ import annotations

SUB = 32  # buckets per power of two above 64 ns


def _index(v: int) -> int:
    if v < 64:
        return v if v > 0 else 0
    e = v.bit_length() - 6
    return 64 + (e - 1) * SUB + (v >> e) - SUB


def _upper(index: int) -> int:
    if index < 64:
        return index
    e, m = divmod(index - 64, SUB)
    e += 1
    return ((m + SUB + 1) << e) - 1


class Histogram:
    __slots__ = ("counts", "max", "n", "top", "total")

    def __init__(self, max_ns: int) -> None:
        self.top = _index(max_ns)
        self.counts = [0] * (self.top + 1)
        self.n = 0
        self.total = 0
        self.max = 0

    def record(self, v: int) -> None:
        if v < 64:
            i = v if v > 0 else 0
        else:  # _index, inlined: this runs twice per tick
            e = v.bit_length() - 6
            i = 64 + (e - 1) * SUB + (v >> e) - SUB
        self.counts[i if i < self.top else self.top] += 1
        self.n += 1
        self.total += v
        if v > self.max:
            self.max = v

    def percentile(self, q: float) -> int:
        """Upper bound in ns of the q-quantile (0 < q <= 1); 0 when empty."""
        if self.n == 0:
            return 0
        rank = max(1, round(q * self.n))
        seen = 0
        for i, c in enumerate(self.counts):
            seen += c
            if seen >= rank:
                return self.max if i == self.top else min(_upper(i), self.max)
        return self.max

    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    def summary_us(self) -> dict[str, float]:
        return {
            "count": self.n,
            "p50_us": self.percentile(0.50) / 1000,
            "p99_us": self.percentile(0.99) / 1000,
            "max_us": self.max / 1000,
            "mean_us": round(self.mean() / 1000, 3),
        }

    def reset(self) -> None:
        self.counts = [0] * (self.top + 1)
        self.n = self.total = self.max = 0
