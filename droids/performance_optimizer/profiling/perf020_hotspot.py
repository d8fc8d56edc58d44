"""PERF020 Hotspot on the OnTick path: one function takes a large share of the replay's own time.

What it reports: `droid perf profile` (and `droid audit`) replays generated ticks through the
OnTick pipeline under cProfile (perf.yaml `profile.ticks`, default 20,000, after a warm-up) and
lists the top functions by cumulative and by own time. A function whose own time is at least
`profile.hotspot_share` (default 25 %) of the replay is reported, with its share, its time per
tick (inflated by the profiler; the proportions are what count) and where it is defined.

Why it matters: it says where to look first when a budget is tight: shaving the top function
moves the p99, shaving the tenth does not. Severity info: an explanation, never a block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droids.core.models import Finding, RuleSpec, Severity, fingerprint
from droids.performance_optimizer.names import DROID

if TYPE_CHECKING:
    from droids.performance_optimizer.profiling.cprofile_run import CProfileResult

FIX = (
    "Make the function cheaper per call (precompute, avoid allocation, move work out of the tick), or "
    "call it less often (only when its inputs changed); re-profile to confirm."
)
RULE = RuleSpec(
    id="PERF020",
    droid=DROID,
    severity=Severity.INFO,
    title="Hotspot on the OnTick path",
    description=__doc__ or "",
    fix=FIX,
)


def find(result: CProfileResult, share: float, fallback: tuple[str, int | None]) -> list[Finding]:
    """Hotspots; a C function (no source file) points at the pipeline's entry, `fallback`."""
    per_tick = 1e6 / result.ticks
    return [
        Finding(
            rule=RULE.id,
            droid=DROID,
            severity=RULE.severity,
            title=RULE.title,
            message=(
                f"{row.name} takes {row.own_share:.0%} of the replay's own time ({row.own_s * per_tick:.1f} us per "
                f"tick under cProfile, {row.calls:,} calls over {result.ticks:,} ticks)"
            ),
            path=row.path or fallback[0],
            line=row.line if row.path else fallback[1],
            evidence=f"own {row.own_share:.1%}",
            fingerprint=fingerprint(RULE.id, row.path, row.function),
            fix=FIX,
            share=round(row.own_share, 4),
        )
        for row in result.by_own
        if row.own_share >= share
    ]
