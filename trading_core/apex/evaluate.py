"""The post-trade face of the rules: check a whole journal at once, vectorised with numpy.

`evaluate(journal, policy)` builds the frame (frame.py: every event's equity, threshold, positions,
trading day as int64 columns) and runs each rule's `scan` over it. It returns exactly what
`ApexMonitor` returns after stepping through the same journal one event at a time (the property test
in tests/trading_core/apex/test_agreement.py checks that on random journals).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from trading_core.apex import rules
from trading_core.apex.frame import build_frame
from trading_core.apex.journal import Journal
from trading_core.apex.policy import ApexPolicy
from trading_core.apex.result import ComplianceResult
from trading_core.apex.session import SessionCalendar
from trading_core.apex.spec import ApexSpec, compile_spec
from trading_core.apex.summary import sort_key, summarize


def evaluate(journal: Journal, policy: ApexPolicy | ApexSpec) -> ComplianceResult:
    spec = policy if isinstance(policy, ApexSpec) else compile_spec(policy)
    frame = build_frame(journal, spec, SessionCalendar(spec.policy.session))
    position_of_row = np.empty(len(journal), np.int64)
    position_of_row[journal.row] = np.arange(len(journal))
    found = [v for rule in rules.ALL_RULES for v in rule.scan(frame)]
    found.sort(key=lambda v: sort_key(v, int(position_of_row[v.event_index])))
    distance = frame.equity * spec.dd.scale - frame.threshold
    fill_days = np.unique(frame.day[journal.is_fill])
    summary = summarize(
        spec,
        frame.closes(),
        final_equity=int(frame.equity[-1]),
        peak=int(frame.peak[-1]),
        min_distance=Fraction(int(distance.min()), spec.dd.scale),
        trading_days=len(fill_days),
    )
    return ComplianceResult(tuple(found), summary, len(journal))
