"""DATA025 Feature pipeline looks ahead: features computed on data up to t differ from the features
computed on the whole series, at t.

What runs: the repository's own feature pipeline (data.yaml `lookahead.truncation.pipeline`,
default `trading_core.features.batch:batch_features`), imported from the repository in a child
process (`python -P`, the repository first on the path, its file checked to lie inside it), fed a
seeded synthetic tick series of `ticks` ticks; at `samples` random cut points plus the warm-up and
block edges, row t of the features of the cut series `x[: t + 1]` must equal row t of the features
of the whole series (`rtol`, `atol`). The report says what ran. A repository with no such package
gets one info line ("not applicable"). Runs in audit, run and ask, and in a gate that changes
`lookahead.truncation.watch` (default trading_core/features/**, trading_core/data/**).
Why: static rules (DATA020-DATA024) see the usual spellings; this sees the arithmetic, whatever it
is spelled like. Severity high. A pipeline that raises is reported too (the test could not run).
How to fix: find the feature the message names and make it use bars up to t only.
"""

from __future__ import annotations

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA025",
    droid=DROID,
    severity=Severity.HIGH,
    title="Feature pipeline looks ahead",
    description=__doc__ or "",
    fix="Make the named feature use bars up to t only (trailing windows, shift >= 0, expanding statistics).",
)
