"""What SENTINEL reads from the Apex guard beyond its documented API, in one place.

The drawdown tiers are shares of the allowance Apex grants right now: the guard's high-water mark
minus its trailing threshold. `ApexGuard` exposes no accessor for those two numbers, so this module
reads them from the guard's monitor (`monitor.hwm`, money units; `monitor.threshold`, scaled by
`spec.dd.scale`). If the guard gains a public accessor, only this module changes.
"""

from __future__ import annotations

from typing import Any


def drawdown_allowance_units(guard: Any) -> int:
    """Money units between the guard's high-water mark and its trailing threshold (never negative)."""
    monitor, scale = guard.monitor, guard.spec.dd.scale
    return max(0, (monitor.hwm * scale - monitor.threshold) // scale)
