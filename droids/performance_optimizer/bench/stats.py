"""Robust comparisons of noisy timings: medians, ratios and bootstrap confidence intervals.

Each run of the suite gives one figure per stage and statistic (the p50 of that run, the p99 of that
run). Across runs we take the median (one disturbed run does not move it). A comparison of the head
with a reference is a ratio:
- paired (interleaved runs of base and head, one pair at a time): the median of the per-pair ratios
  head_i / base_i; a load change hits both halves of a pair, so it cancels;
- unpaired (head runs against figures stored earlier): median(head) / median(reference).
The interval is a percentile bootstrap of that estimate (resampling runs with replacement, a fixed
seed: the same figures always give the same verdict). With few runs it is wide and honest: with
three runs per side it spans from the least to the most favourable pairing, so a regression is
"confirmed" only when every run of the head is slower than every run of the reference by more than
the tolerance. `p_beyond` is the share of resamples beyond the tolerance: how sure we are.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["regressed", "suspect", "within"]


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    confidence: float
    n: int


@dataclass(frozen=True)
class Comparison:
    estimate: float  # head / reference
    low: float
    high: float
    confidence: float
    p_beyond: float  # share of bootstrap resamples slower than 1 + tolerance
    tolerance: float
    paired: bool
    n_head: int
    n_reference: int

    @property
    def verdict(self) -> Verdict:
        """`regressed`: even the interval's low end is beyond the tolerance; `suspect`: the estimate
        is beyond it but the interval reaches back below (more runs may settle it); else `within`."""
        limit = 1 + self.tolerance
        if self.low > limit:
            return "regressed"
        if self.estimate > limit:
            return "suspect"
        return "within"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def median_interval(values: Sequence[float], confidence: float, resamples: int, seed: int = 0) -> Interval:
    rng = random.Random(seed)  # noqa: S311 - resampling, not cryptography; seeded for repeatable verdicts
    n = len(values)
    boots = sorted(median(rng.choices(values, k=n)) for _ in range(resamples)) if n > 1 else [values[0]]
    low, high = _percentiles(boots, confidence)
    return Interval(median(values), low, high, confidence, n)


def compare(
    head: Sequence[float],
    reference: Sequence[float],
    *,
    paired: bool,
    tolerance: float,
    confidence: float,
    resamples: int,
    seed: int = 0,
) -> Comparison:
    if not head or not reference:
        raise ValueError("a comparison needs at least one run on each side")
    if paired and len(head) != len(reference):
        raise ValueError("paired runs must come in pairs")
    rng = random.Random(seed)  # noqa: S311 - resampling, not cryptography; seeded for repeatable verdicts
    statistic: Callable[[], float]
    if paired:
        ratios = [_ratio(h, r) for h, r in zip(head, reference, strict=True)]
        estimate = median(ratios)

        def statistic() -> float:
            return median(rng.choices(ratios, k=len(ratios)))
    else:
        estimate = _ratio(median(head), median(reference))

        def statistic() -> float:
            return _ratio(median(rng.choices(head, k=len(head))), median(rng.choices(reference, k=len(reference))))

    boots = sorted(statistic() for _ in range(resamples))
    low, high = _percentiles(boots, confidence)
    limit = 1 + tolerance
    p_beyond = sum(1 for b in boots if b > limit) / len(boots)
    return Comparison(estimate, low, high, confidence, p_beyond, tolerance, paired, len(head), len(reference))


def _ratio(a: float, b: float) -> float:
    # A figure of 0 us (a timer too coarse for the stage) cannot be divided by; treat it as 1 ns.
    return a / max(b, 0.001)


def _percentiles(sorted_values: Sequence[float], confidence: float) -> tuple[float, float]:
    n = len(sorted_values)
    tail = (1 - confidence) / 2
    low = sorted_values[min(n - 1, int(tail * n))]
    high = sorted_values[min(n - 1, max(0, math.ceil((1 - tail) * n) - 1))]
    return low, high
