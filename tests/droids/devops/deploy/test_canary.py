"""The canary judge: Fisher's exact test (one-sided) and the promotion rules."""

from __future__ import annotations

import math

import pytest

from droids.devops.deploy.canary import fisher_greater, judge
from droids.devops.policy import CanaryPolicy


def hypergeometric_tail(a: int, n1: int, b: int, n2: int) -> float:
    """The same p-value by direct enumeration with exact integers (math.comb), for reference."""
    total, errors = n1 + n2, a + b
    return sum(
        math.comb(errors, x) * math.comb(total - errors, n1 - x) for x in range(a, min(errors, n1) + 1)
    ) / math.comb(total, n1)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 100, 0, 1000), 1.0),  # no error anywhere
        ((1, 10, 0, 10), 0.5),  # hand-computed: C(1,1)C(19,9)/C(20,10) = 0.5
        ((3, 3, 0, 3), 0.05),  # 1 / C(6,3)
        ((5, 100, 5, 1000), None),
        ((20, 300, 2, 900), None),
        ((0, 300, 10, 900), 1.0),  # the canary is better: nothing to see
    ],
)
def test_fisher_matches_exact_enumeration(counts: tuple[int, int, int, int], expected: float | None) -> None:
    p = fisher_greater(*counts)
    assert p == pytest.approx(hypergeometric_tail(*counts), rel=1e-9, abs=1e-12)
    if expected is not None:
        assert p == pytest.approx(expected, rel=1e-9)


SETTINGS = CanaryPolicy(min_requests=100, confidence=0.95, max_error_rate=0.05)


@pytest.mark.parametrize(
    ("canary", "stable", "p99", "promote", "says"),
    [
        ((0, 300), (0, 900), 20.0, True, "not worse"),
        ((1, 300), (2, 900), 20.0, True, "not worse"),  # one error: not worse with 95 % confidence
        ((0, 300), (0, 900), 60_000.0, False, "over the budget of 50,000 us"),
        ((12, 300), (2, 900), 20.0, False, "worse than the running version's"),
        ((0, 50), (0, 900), 20.0, False, "only 50 canary requests"),
        ((20, 300), (60, 900), 20.0, False, "above the limit of 5.00%"),  # as bad as stable, but too bad
    ],
)
def test_promotion_rules(canary: tuple, stable: tuple, p99: float, promote: bool, says: str) -> None:
    verdict = judge(canary, stable, p99, 15.0, 50_000, SETTINGS)
    assert verdict.promote is promote
    assert any(says in r for r in verdict.reasons), verdict.reasons
