"""What the drawdown threshold trails, as runs: stretches of events that share one high-water mark.

The high-water mark (intraday: the running peak of equity, never below the start; EOD: the best
session close so far) is a step function of the event position: it only changes at a new peak, or at
a session start. Every drawdown quantity (threshold, warning and danger levels: spec.py's formulas) is
a function of it, so each is computed once per run, on small arrays, rather than once per event.

A per-event test `equity x scale <= level` then compares equity with one constant per run: it is
`equity <= level // scale` (exact: integers, scale > 0). The lowest equity of each run tells, without
touching its events, whether a run reaches a level at all; only the runs that do are scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trading_core.apex.spec import ApexSpec

_SCAN_RUNS = 512  # up to this many runs reach a level: compare run by run, else against per-event levels


@dataclass(frozen=True)
class Runs:
    first: np.ndarray  # event position where each run starts; first[0] == 0
    hwm: np.ndarray  # per run, money units
    threshold: np.ndarray  # per run, scaled by spec.dd.scale
    low: np.ndarray  # per run: its lowest equity
    scale: int

    def of(self, positions: np.ndarray) -> np.ndarray:
        """The run of each event position."""
        return np.searchsorted(self.first, positions, side="right") - 1

    def _ends(self, n: int) -> np.ndarray:
        return np.append(self.first[1:], n)

    def first_at_or_below(self, equity: np.ndarray, level: np.ndarray) -> int | None:
        """The first event whose equity x scale is at or below its run's `level` (scaled), if any."""
        reach = np.flatnonzero(self.low * self.scale <= level)
        if not reach.size:
            return None
        r = int(reach[0])
        start, end = int(self.first[r]), int(self._ends(len(equity))[r])
        return start + int(np.argmax(equity[start:end] <= int(level[r]) // self.scale))

    def entries_at_or_below(self, equity: np.ndarray, level: np.ndarray, inside_before: bool = False) -> np.ndarray:
        """Events where equity x scale is at or below the run's `level` and was not at the event before.

        `inside_before`: the event before the chunk was at or below its level (an episode goes on).
        """
        cut = level // self.scale
        reach = np.flatnonzero(self.low <= cut)
        ends = self._ends(len(equity))
        if reach.size > _SCAN_RUNS:
            inside = equity <= np.repeat(cut, np.diff(ends, prepend=0))
            entered = np.flatnonzero(inside[1:] > inside[:-1]) + 1
            return np.concatenate(([0], entered)) if inside[0] and not inside_before else entered
        found = [reach[:0]]
        for r in reach.tolist():
            start, end = int(self.first[r]), int(ends[r])
            inside = equity[start:end] <= cut[r]
            entered = np.flatnonzero(inside[1:] > inside[:-1]) + (start + 1)
            was_inside = inside_before if start == 0 else equity[start - 1] <= cut[r - 1]
            if inside[0] and not was_inside:
                entered = np.concatenate(([start], entered))
            found.append(entered)
        return np.concatenate(found)

    def inside_at_end(self, equity: np.ndarray, level: np.ndarray) -> bool:
        """Whether the chunk's last event is at or below its run's `level` (scaled)."""
        return bool(equity[-1] <= int(level[-1]) // self.scale)

    def min_distance(self) -> int:
        """Lowest equity x scale - threshold over all events (scaled)."""
        return int((self.low * self.scale - self.threshold).min())


def intraday_runs(spec: ApexSpec, equity: np.ndarray, highs: np.ndarray, hwm_before: int) -> Runs:
    """Runs of the running peak of equity and the start; `highs`: where equity makes a new high.

    `hwm_before` is the mark in force before this chunk (a chunk whose first event is no new high
    starts in the run the previous chunk ended in).
    """
    marks = np.maximum(equity[highs], spec.start)
    if not highs.size or highs[0] != 0:
        highs, marks = np.concatenate(([0], highs)), np.concatenate(([hwm_before], marks))
    return _runs(spec, equity, highs, marks)


def eod_runs(
    spec: ApexSpec, equity: np.ndarray, day_first: np.ndarray, sod_equity: np.ndarray, best_before: int
) -> Runs:
    """Runs of the best session close before each trading day (the threshold moves at the close).

    `best_before`: the best start-of-day equity (and the start) of the days before this chunk.
    """
    return _runs(spec, equity, day_first, np.maximum.accumulate(np.maximum(sod_equity, best_before)))


def _runs(spec: ApexSpec, equity: np.ndarray, first: np.ndarray, hwm: np.ndarray) -> Runs:
    changes = np.concatenate(([True], hwm[1:] != hwm[:-1]))  # runs with equal marks merge
    first, hwm = first[changes], hwm[changes]
    return Runs(
        first=first,
        hwm=hwm,
        threshold=spec.dd.threshold(hwm, np.minimum),
        low=np.minimum.reduceat(equity, first),
        scale=spec.dd.scale,
    )
