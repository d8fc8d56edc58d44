"""DATA007 No volume all session: every bar of a whole CME session has volume 0.

Why: a session with prices but no volume is a feed that sent quotes or carried prices forward (a
filled placeholder), not trades; volume features and liquidity filters read it as a dead market.
Judged per session of the CME calendar (both libraries open), only for sessions the data covers from
open to close. Severity medium. How to fix: re-ingest the session; check that the symbol maps to the
traded contract and not an index or a settlement series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.names import DROID

if TYPE_CHECKING:
    from droids.data_pipeline.calendar.cme import Calendar
    from droids.data_pipeline.validate.context import BatchContext

RULE = RuleSpec(
    id="DATA007",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="No volume all session",
    description=__doc__ or "",
    fix="Re-ingest the session; check the symbol maps to the traded contract, not an index or settlement series.",
)


@dataclass
class SessionVolumes:
    """Bars and bars with volume per session (keyed by the session's open), over a file's batches."""

    seen: dict[int, list[int]] = field(default_factory=dict)  # open ns -> [bars, with volume, first row, close]

    def feed(self, ctx: BatchContext, cal: Calendar) -> None:
        import numpy as np

        ts, v = ctx.bars.ts, ctx.bars.volume
        if not len(ts):
            return
        nz = np.concatenate(([0], np.cumsum(v != 0)))
        if (ctx.diffs[1:] > 0).all():  # sorted: session bounds by binary search into the bars
            j0 = int(np.searchsorted(cal.closes, ts[0], side="right"))
            j1 = int(np.searchsorted(cal.opens, ts[-1], side="right"))
            lo = np.searchsorted(ts, cal.opens[j0:j1], side="left")
            hi = np.searchsorted(ts, cal.closes[j0:j1], side="left")
            for j, a, b in zip(range(j0, j1), lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    self._add(cal, j, b - a, int(nz[b] - nz[a]), int(ctx.bars.rows[a]))
            return
        k = cal.session_of(ts)
        for j in np.unique(k[k >= 0]).tolist():
            idx = np.flatnonzero(k == j)
            self._add(cal, j, len(idx), int(np.count_nonzero(v[idx] != 0)), int(ctx.bars.rows[idx[0]]))

    def _add(self, cal: Calendar, j: int, bars: int, with_volume: int, row: int) -> None:
        key = int(cal.opens[j])
        entry = self.seen.setdefault(key, [0, 0, row, int(cal.closes[j])])
        entry[0] += bars
        entry[1] += with_volume
        entry[2] = min(entry[2], row)

    def silent(self, first_ts: int, last_ts: int, step: int) -> list[tuple[int, int, int]]:
        """(session open, bars, first row) of whole sessions inside [first_ts, last_ts] with no volume."""
        return [
            (open_ns, bars, row)
            for open_ns, (bars, with_volume, row, close_ns) in sorted(self.seen.items())
            if with_volume == 0 and open_ns >= first_ts and last_ts >= close_ns - step
        ]
