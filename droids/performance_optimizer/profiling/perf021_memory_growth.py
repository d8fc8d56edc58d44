"""PERF021 Memory grows with the ticks: a likely leak on the OnTick path.

What it checks: a long replay of generated ticks through the pipeline (perf.yaml `memory.ticks`,
default 200,000, after `memory.warmup_ticks`) under tracemalloc, measured after each of
`memory.checkpoints` chunks and a full garbage collection. The growth rate is the Theil-Sen slope
of those points in KB per 100,000 ticks; above `memory.leak_kb_per_100k_ticks` (default 512) it is
a finding. Bounded structures (fixed histograms, deques with maxlen, rolling windows) stay flat;
a list that keeps every tick, an unbounded cache or a dict of closed orders climbs.

Why it matters: an engine runs all session; a few hundred bytes per tick are gigabytes after days,
and the garbage collector's pauses grow with the heap, which shows up as tail latency first.
Severity high: it blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity, fingerprint
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.profiling.memory import MemoryResult

FIX = (
    "Find what is kept per tick (tracemalloc snapshots compared before and after a replay, "
    "`snapshot.compare_to(...)`) and bound it: collections.deque(maxlen=N), evict closed orders, "
    "aggregate instead of storing every event."
)
RULE = RuleSpec(
    id="PERF021",
    droid=DROID,
    severity=Severity.HIGH,
    title="Memory grows with the ticks",
    description=__doc__ or "",
    fix=FIX,
)


def find(result: MemoryResult, limit_kb: float, place: tuple[str, int | None]) -> list[Finding]:
    """`place`: the replayed pipeline's entry point (Engine.on_tick), where the findings point."""
    if result.kb_per_100k_ticks <= limit_kb:
        return []
    return [
        Finding(
            rule=RULE.id,
            droid=DROID,
            severity=RULE.severity,
            title=RULE.title,
            message=(
                f"the OnTick replay retains {result.kb_per_100k_ticks:,.0f} KB per 100,000 ticks "
                f"({result.total_kb:,.0f} KB over {result.ticks:,} ticks), above the limit of {limit_kb:,.0f} KB "
                "(perf.yaml memory.leak_kb_per_100k_ticks)"
            ),
            path=place[0],
            line=place[1],
            evidence=f"{result.kb_per_100k_ticks:,.0f} KB/100k ticks > {limit_kb:,.0f}",
            fingerprint=fingerprint(RULE.id, place[0], "ontick-replay"),
            fix=FIX,
            value=round(result.kb_per_100k_ticks, 1),
            limit=limit_kb,
        )
    ]
