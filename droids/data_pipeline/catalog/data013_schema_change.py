"""DATA013 Column type changed: a column of the catalog has a different type in some partitions.

Schema evolution the catalog accepts: a column added in later partitions (older ones read it back
as nulls). What it does not accept: a column whose type changes between partitions (volume written
as int64 in one month and double in the next, ts with another unit or zone), which breaks a reader
that unifies the months, or silently casts. Severity high. How to fix: rewrite the odd partitions
with the catalog's type (re-ingest the months, or cast and rewrite them), then re-run the check.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA013",
    droid=DROID,
    severity=Severity.HIGH,
    title="Column type changed",
    description=__doc__ or "",
    fix="Rewrite the odd partitions with the catalog's column type (re-ingest or cast and rewrite them).",
)
