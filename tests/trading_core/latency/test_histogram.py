"""The fixed-size histogram: bounded memory, percentiles within its resolution, exact max."""

from __future__ import annotations

import random

import pytest

from trading_core.latency.histogram import SUB, Histogram, _index, _upper


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_percentiles_within_resolution(seed: int) -> None:
    rng = random.Random(seed)
    values = [int(rng.lognormvariate(9, 1.2)) for _ in range(20_000)]
    h = Histogram(10**10)
    size = len(h.counts)
    for v in values:
        h.record(v)
    assert len(h.counts) == size  # never grows
    ordered = sorted(values)
    for q in (0.5, 0.9, 0.99, 0.999):
        exact = ordered[round(q * len(values)) - 1]
        got = h.percentile(q)
        assert exact <= got <= exact * (1 + 1 / SUB) + 1
    assert h.max == max(values) and h.n == len(values)


@pytest.mark.parametrize("v", [0, 1, 63, 64, 65, 127, 128, 1000, 123_456, 2**40 + 5])
def test_bucket_bounds_contain_the_value(v: int) -> None:
    i = _index(v)
    assert v <= _upper(i)
    assert i == 0 or _upper(i - 1) < v


def test_values_over_the_top_land_in_the_last_bucket() -> None:
    h = Histogram(1000)
    h.record(10**9)
    assert h.counts[-1] == 1 and h.max == 10**9 and h.percentile(0.5) == 10**9


def test_summary_in_microseconds() -> None:
    h = Histogram(10**9)
    for v in (1000, 2000, 3000):
        h.record(v)
    s = h.summary_us()
    assert s["count"] == 3 and s["max_us"] == 3.0 and 1.9 <= s["p50_us"] <= 2.1
    h.reset()
    assert h.n == 0 and h.percentile(0.5) == 0
