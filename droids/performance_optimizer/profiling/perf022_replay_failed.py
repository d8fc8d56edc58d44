"""PERF022 OnTick replay failed: the pipeline raised or hung while being profiled or measured.

What it checks: the profiling and memory replays feed generated ticks through the trading core's
engine and simulated venue (no mocks). An exception out of the pipeline, or a replay that outlives
perf.yaml `profile.timeout_s` / `memory.timeout_s` (killed with its process group), is a finding;
the message quotes the exception's last line.

Why it matters: a tick that raises stops the engine; a replay that cannot finish says nothing
about speed or memory, and that is not a pass. Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity, fingerprint
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.profiling.launch import ReplayFailure

FIX = (
    "Reproduce with `python -m droids.performance_optimizer.profiling.replay --policies policies "
    "--ticks 20000` and fix the exception (or the endless loop) in the pipeline."
)
RULE = RuleSpec(
    id="PERF022", droid=DROID, severity=Severity.HIGH, title="OnTick replay failed", description=__doc__ or "", fix=FIX
)


def find(failure: ReplayFailure, place: tuple[str, int | None]) -> list[Finding]:
    """`place`: the replayed pipeline's entry point (Engine.on_tick), where the findings point."""
    return [
        Finding(
            rule=RULE.id,
            droid=DROID,
            severity=RULE.severity,
            title=RULE.title,
            message=f"the {failure.mode} replay {failure.outcome}: {failure.detail}",
            path=place[0],
            line=place[1],
            evidence=failure.detail[:120],
            fingerprint=fingerprint(RULE.id, place[0], failure.mode),
            fix=FIX,
        )
    ]
