"""DATA011 Stale data: the newest bar of a symbol in the catalog is older than the freshness limit.

The limit counts whole CME sessions (calendar of both libraries): stale when at least
`freshness.max_missed_sessions` (default 1, one trading day) sessions have opened after the newest
bar and closed before now. So a Friday bar is fresh all weekend, and a bar of yesterday's session is
fresh until today's session closes. Judged for the catalog (`droid data check CATALOG`, the audit),
not for single files, which are often historical on purpose. Severity medium. How to fix: run
`droid data ingest` (the scheduled workflow .github/workflows/data-update.yml does it daily) and
check the feed with `droid data ingest --check`.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA011",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Stale data",
    description=__doc__ or "",
    fix="Run droid data ingest (the daily workflow does); check the feed with droid data ingest --check.",
)


def missed_sessions(newest_ns: int, opens: object, closes: object, now_ns: int) -> list[int]:
    """Indexes of the sessions that opened after the newest bar and closed before now."""
    import numpy as np

    o, c = np.asarray(opens), np.asarray(closes)
    return np.flatnonzero((o > newest_ns) & (c <= now_ns)).tolist()
