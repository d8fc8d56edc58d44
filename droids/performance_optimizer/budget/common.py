"""What the budget rules share: where their findings point, and how numbers read in a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity, fingerprint
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.bench.stats import Comparison, Interval


@dataclass(frozen=True)
class Place:
    """The benchmark file (repo-relative) and the line of each stage's benchmark test in it."""

    path: str
    lines: dict[str, int]


def finding(
    rule: RuleSpec,
    place: Place,
    at_stage: str | None,
    message: str,
    identity: str,
    *,
    severity: Severity | None = None,
    evidence: str | None = None,
    **extra: object,
) -> Finding:
    """A finding whose fingerprint hashes the rule, the file and `identity` (stage, statistic), never
    the measured numbers: the same problem keeps its identity from run to run."""
    return Finding(
        rule=rule.id,
        droid=DROID,
        severity=severity or rule.severity,
        title=rule.title,
        message=message,
        path=place.path,
        line=place.lines.get(at_stage) if at_stage else None,
        evidence=evidence,
        fingerprint=fingerprint(rule.id, place.path, identity),
        fix=rule.fix,
        **extra,
    )


def us(value: float) -> str:
    return f"{value:,.0f} us" if value >= 100 else f"{value:.1f} us"


def spread(interval: Interval) -> str:
    if interval.n == 1:
        return "one run, no interval"
    return f"{interval.confidence:.0%} interval {us(interval.low)}-{us(interval.high)}"


def describe(c: Comparison) -> str:
    """`x2.84 (95% interval x2.60-x3.10, 3 paired runs; P(slower than +100%) = 0.99)`."""
    runs = f"{c.n_head} paired runs" if c.paired else f"{c.n_head} runs vs {c.n_reference} stored"
    return (
        f"x{c.estimate:.2f} ({c.confidence:.0%} interval x{c.low:.2f}-x{c.high:.2f}, {runs}; "
        f"P(slower than +{c.tolerance:.0%}) = {c.p_beyond:.2f})"
    )
