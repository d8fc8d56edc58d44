"""DATA006 Negative volume: a bar whose volume is below zero.

Why: volume counts contracts traded; a negative count is a sign or parsing error that poisons every
volume-weighted feature. Severity high. How to fix: correct the source; re-ingest the range.
(A session whose bars all have volume 0 is DATA007.)
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID
from droids.data_pipeline.validate.context import BatchContext, Hits, number

RULE = RuleSpec(
    id="DATA006",
    droid=DROID,
    severity=Severity.HIGH,
    title="Negative volume",
    description=__doc__ or "",
    fix="Correct the source's volume column (a sign or parsing error) and re-ingest the range.",
)


def find(ctx: BatchContext) -> Hits:
    import numpy as np

    v = ctx.bars.volume
    idx = np.flatnonzero(v < 0)
    return idx, lambda i: f"{ctx.bar(i)}: volume {number(float(v[i]))} is negative"
