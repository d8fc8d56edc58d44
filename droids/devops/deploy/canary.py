"""Is the canary fit to be promoted? Its error rate against the running version's, with stated
confidence, and its OnTick p99 against the trading core's budget (policies/budgets.yaml).

Error rates are compared with Fisher's exact test, one-sided (H1: the canary fails more often):
exact for the small counts a canary window gives (a normal approximation is wrong at 0 or 1 errors).
Written here with log-gamma (20 lines) rather than adding scipy (about 40 MB) for one function;
tests check it against values computed by hand and against the symmetry it must have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droids.devops.policy import CanaryPolicy


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(canary_errors: int, canary_n: int, stable_errors: int, stable_n: int) -> float:
    """One-sided p-value that the canary's error rate is this much higher by chance (equal rates)."""
    total, errors = canary_n + stable_n, canary_errors + stable_errors
    if canary_n == 0 or errors == 0:
        return 1.0
    low, high = canary_errors, min(errors, canary_n)
    denominator = _log_comb(total, canary_n)
    p = sum(
        math.exp(_log_comb(errors, x) + _log_comb(total - errors, canary_n - x) - denominator)
        for x in range(low, high + 1)
        if canary_n - x <= total - errors
    )
    return min(1.0, p)


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reasons: tuple[str, ...]
    figures: dict[str, float | int]


def judge(
    canary: tuple[int, int],
    stable: tuple[int, int],
    canary_p99_us: float,
    stable_p99_us: float,
    budget_us: int,
    settings: CanaryPolicy,
) -> Verdict:
    """Promote only when every check passes; `canary`/`stable` are (errors, requests)."""
    (c_err, c_n), (s_err, s_n) = canary, stable
    p = fisher_greater(c_err, c_n, s_err, s_n)
    c_rate, s_rate = (c_err / c_n if c_n else 0.0), (s_err / s_n if s_n else 0.0)
    figures = {
        "canary_requests": c_n,
        "canary_errors": c_err,
        "stable_requests": s_n,
        "stable_errors": s_err,
        "p_value": round(p, 6),
        "canary_p99_us": canary_p99_us,
        "stable_p99_us": stable_p99_us,
        "budget_us": budget_us,
    }
    reasons = []
    if c_n < settings.min_requests:
        reasons.append(f"only {c_n} canary requests, {settings.min_requests} needed to judge it")
    if canary_p99_us > budget_us:
        reasons.append(f"OnTick p99 {canary_p99_us:,.0f} us is over the budget of {budget_us:,} us")
    if p < 1 - settings.confidence:
        reasons.append(
            f"error rate {c_rate:.2%} ({c_err}/{c_n}) is worse than the running version's {s_rate:.2%} "
            f"({s_err}/{s_n}) at {settings.confidence:.0%} confidence (Fisher exact, one-sided p = {p:.4f})"
        )
    if c_n and c_rate > settings.max_error_rate:
        reasons.append(f"error rate {c_rate:.2%} is above the limit of {settings.max_error_rate:.2%}")
    if not reasons:
        reasons.append(
            f"error rate {c_rate:.2%} ({c_err}/{c_n}) not worse than {s_rate:.2%} ({s_err}/{s_n}) at "
            f"{settings.confidence:.0%} confidence (p = {p:.4f}); OnTick p99 {canary_p99_us:,.0f} us "
            f"within {budget_us:,} us (running version: {stable_p99_us:,.0f} us)"
        )
        return Verdict(True, tuple(reasons), figures)
    return Verdict(False, tuple(reasons), figures)
