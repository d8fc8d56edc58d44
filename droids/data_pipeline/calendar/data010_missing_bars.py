"""DATA010 Missing bars: bars absent inside an open CME session.

Expected bars come from the CME Globex calendar of both libraries (pandas-market-calendars and
exchange-calendars, intersected): every interval from a session's open to its close, minus breaks,
so a holiday or the time after an early close is never missing. A gap is one finding naming its first
missing bar (ISO 8601 UTC), its last, and how many are missing; it is judged between a file's first
and last bar (a catalog partition: over the range it was fetched for). Bars must sit on the interval
grid (a 1-minute bar opens on a whole minute); intervals that do not divide an hour are not judged.
Severity medium. How to fix: re-ingest the range (`droid data ingest` fetches only what is missing),
or fill per `cleaning.gaps` and keep the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

if TYPE_CHECKING:
    import numpy as np

    from droids.data_pipeline.calendar.cme import Slots
    from droids.data_pipeline.validate.context import BatchContext

RULE = RuleSpec(
    id="DATA010",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Missing bars",
    description=__doc__ or "",
    fix="Re-ingest the range (droid data ingest fetches what is missing) or fill per cleaning.gaps.",
)


@dataclass(frozen=True)
class Gap:
    first: int  # ns of the first missing bar
    last: int
    count: int
    after_row: int | None  # the data row before the gap (None: the gap opens the range)


@dataclass
class GapFinder:
    keep: int
    gaps: list[Gap] = field(default_factory=list)
    count: int = 0  # gaps
    bars: int = 0  # missing bars in all gaps

    def feed(self, ctx: BatchContext, slots: Slots, prev_row: int | None) -> None:
        import numpy as np

        ts, d = ctx.bars.ts, ctx.diffs
        cand = np.flatnonzero((d != slots.interval) & (d > 0))  # only unusual spacings can hide a gap
        if ctx.prev_ts is None:
            cand = cand[cand > 0]
        if not len(cand):
            return
        a = np.where(cand > 0, ts[np.maximum(cand - 1, 0)], ctx.prev_ts or 0)
        b = ts[cand]
        rows = np.where(cand > 0, ctx.bars.rows[np.maximum(cand - 1, 0)], -1 if prev_row is None else prev_row)
        self._record(slots, a, b, rows)

    def edges(self, slots: Slots, lo: int, hi: int, first: int, last: int, last_row: int | None) -> None:
        """Missing bars between the ends of a fetched range [lo, hi) and the first and last bar (the
        bars in between are judged by `feed`)."""
        import numpy as np

        if last < lo or first >= hi:
            whole = slots.before(np.array([lo, hi]))
            if whole[1] > whole[0]:
                self._add(slots, int(whole[0]), int(whole[1] - whole[0]), None)
            return
        if first > lo:
            lead = slots.before(np.array([lo, first]))
            if lead[1] > lead[0]:
                self._add(slots, int(lead[0]), int(lead[1] - lead[0]), None)
        if last < hi:
            tail = slots.before(np.array([last, hi]))
            start = int(tail[0] + slots.is_slot(np.array([last]))[0])
            if tail[1] > start:
                self._add(slots, start, int(tail[1]) - start, last_row)

    def _record(self, slots: Slots, a: np.ndarray, b: np.ndarray, rows: np.ndarray) -> None:
        import numpy as np

        start = slots.before(a) + slots.is_slot(a)
        missing = slots.before(b) - start
        for j in np.flatnonzero(missing > 0).tolist():
            row = int(rows[j])
            self._add(slots, int(start[j]), int(missing[j]), row if row >= 0 else None)

    def _add(self, slots: Slots, start: int, missing: int, after_row: int | None) -> None:
        import numpy as np

        self.count += 1
        self.bars += missing
        if len(self.gaps) < self.keep:
            first, last = slots.time_of(np.array([start, start + missing - 1])).tolist()
            self.gaps.append(Gap(int(first), int(last), missing, after_row))
