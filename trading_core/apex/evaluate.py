"""The post-trade face of the rules: check a whole journal at once, vectorised with numpy.

`evaluate(journal, policy)` builds the frame (frame.py: equity per event, positions and exposure per
fill, the threshold per run of one high-water mark, trading days as spans of events; int64 throughout)
and runs each rule's `scan` over it. It returns exactly what
`ApexMonitor` returns after stepping through the same journal one event at a time (the property test
in tests/trading_core/apex/test_agreement.py checks that on random journals).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from trading_core.apex import rules
from trading_core.apex.journal import Journal
from trading_core.apex.policy import ApexPolicy
from trading_core.apex.result import ComplianceResult
from trading_core.apex.session import SessionCalendar
from trading_core.apex.spec import ApexSpec, compile_spec
from trading_core.apex.summary import sort_key, summarize

if TYPE_CHECKING:
    import numpy as np


def evaluate(journal: Journal, policy: ApexPolicy | ApexSpec) -> ComplianceResult:
    from trading_core.apex.frame import build_frame  # numpy: loaded on the first evaluate, not on import

    spec = policy if isinstance(policy, ApexSpec) else compile_spec(policy)
    frame = build_frame(journal, spec, SessionCalendar(spec.policy.session))
    found = [v for rule in rules.ALL_RULES for v in rule.scan(frame)]
    positions = _positions_of_rows(journal.row, [v.event_index for v in found])
    order = sorted(range(len(found)), key=lambda k: sort_key(found[k], positions[k]))
    summary = summarize(
        spec,
        frame.closes(),
        final_equity=int(frame.equity[-1]),
        peak=frame.high,
        min_distance=Fraction(frame.runs.min_distance(), spec.dd.scale),
        trading_days=frame.fill_days(),
    )
    return ComplianceResult(tuple(found[k] for k in order), summary, len(journal))


def _positions_of_rows(row: np.ndarray, rows: list[int]) -> list[int]:
    """Processing position of each data row (they differ only after --sort)."""
    import numpy as np

    if not rows:
        return []
    wanted = np.array(rows, np.int64)
    if bool(np.all(row[1:] > row[:-1])):
        return np.searchsorted(row, wanted).tolist()
    position_of_row = np.empty(len(row), np.int64)
    position_of_row[row] = np.arange(len(row))
    return position_of_row[wanted].tolist()
