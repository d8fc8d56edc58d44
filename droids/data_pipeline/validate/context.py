"""What a per-bar rule sees for one batch of one symbol: the bars, the bar before the batch, the clock,
the tick size, and the differences between consecutive timestamps (computed once, shared)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from droids.data_pipeline.bars.read import BarBatch, BarFile
from droids.data_pipeline.names import iso_utc

if TYPE_CHECKING:
    import numpy as np

# A rule's answer for a batch: the offending bars' positions in it, and the message of one of them.
Hits = tuple["np.ndarray", Callable[[int], str]]
GRID_TOLERANCE = 1e-6  # of a tick, as the trading core's tick validator: prices arrive as decimal strings


@dataclass
class BatchContext:
    file: BarFile
    bars: BarBatch
    prev_ts: int | None  # the symbol's bar before this batch
    now_ns: int
    future_tolerance_ns: int
    tick: float | None

    @cached_property
    def diffs(self) -> np.ndarray:
        """ts[i] - ts[i - 1], the first against the bar before the batch (a positive dummy when none)."""
        import numpy as np

        ts = self.bars.ts
        first = ts[0] - self.prev_ts if self.prev_ts is not None else 1
        return np.concatenate(([first], np.diff(ts))) if len(ts) else ts

    def bar(self, i: int) -> str:
        """'bar 2026-03-09T14:31:00Z (line 5)': the bar at position i, as every message names it."""
        return f"bar {iso_utc(int(self.bars.ts[i]))} ({self.file.where(int(self.bars.rows[i]))[1]})"

    def previous_ts(self, i: int) -> int | None:
        return int(self.bars.ts[i - 1]) if i > 0 else self.prev_ts


def number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(x)
