"""What the rules read: one chunk of the journal with its ledger columns and one rule set's thresholds.

What is kept per event is only equity (columns.py); everything else lives where it changes:
positions and exposure per fill (`Fills`), the high-water mark and the drawdown threshold per run of
one high-water mark (runs.py), trading days as contiguous spans of events (`day_first`/`day_last`,
since timestamps are sorted). Rules ask for the few events they report on; per-day questions
("the first such event of this trading day") are binary searches over those spans, not passes over
the journal. The integers are the ones the event-by-event ledger computes, to the unit.

A streamed journal is judged chunk by chunk. What a rule must know from before the chunk is in the
frame: the ledger's carried state (`ledger`: positions, exposure, equity and trading day before it,
the lowest equity of a day that began earlier) and the rule's own `memory` from the previous chunk
(an episode still open, the account already blown). Positions are chunk-local; `offset` places them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from trading_core.apex.columns import Fills, LedgerChunk, check_equity_fits
from trading_core.apex.journal import Journal
from trading_core.apex.rules.base import DayClose
from trading_core.apex.runs import Runs, eod_runs, intraday_runs
from trading_core.apex.session import DayBounds
from trading_core.apex.spec import ApexSpec


@dataclass(frozen=True)
class Frame:
    spec: ApexSpec
    ledger: LedgerChunk
    runs: Runs  # the high-water mark and threshold, per run of events that share them
    memory: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> what it carried over

    @property
    def journal(self) -> Journal:
        return self.ledger.journal

    @property
    def days(self) -> list[DayBounds]:
        return self.ledger.days

    @property
    def day_first(self) -> np.ndarray:
        return self.ledger.day_first

    @property
    def day_last(self) -> np.ndarray:
        return self.ledger.day_last

    @property
    def equity(self) -> np.ndarray:
        return self.ledger.equity

    @property
    def fills(self) -> Fills:
        return self.ledger.fills

    @property
    def sod_equity(self) -> np.ndarray:
        return self.ledger.sod_equity

    @property
    def n(self) -> int:
        return len(self.journal)

    def day_of(self, positions: np.ndarray) -> np.ndarray:
        """Index into `days` of each event position."""
        return np.searchsorted(self.day_first, positions, side="right") - 1

    def day_at(self, position: int) -> dt.date:
        return self.days[int(self.day_of(np.array([position]))[0])].day

    def dates(self, positions: np.ndarray) -> list[dt.date]:
        """The trading day of each event position."""
        return [self.days[d].day for d in self.day_of(positions).tolist()]

    @cached_property
    def fill_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Per day: its fills are fill indices [first, end)."""
        at = self.fills.at
        return np.searchsorted(at, self.day_first), np.searchsorted(at, self.day_last, side="right")

    def first_per_day_and_symbol(self, fill_index: np.ndarray) -> np.ndarray:
        """Of ascending fill indices, the first one per trading day and symbol (ascending)."""
        first, end = self.fill_spans
        sym = self.fills.sym[fill_index]
        chosen = []
        for code in self.codes:
            mine = fill_index[sym == code]
            k = np.searchsorted(mine, first)  # its first fill at or after each day's first fill
            real = k < mine.size
            real[real] = mine[k[real]] < end[real]  # ... that is still that day's
            chosen.append(mine[k[real]])
        return np.sort(np.concatenate(chosen)) if chosen else fill_index[:0]

    @property
    def codes(self) -> range:
        return range(len(self.journal.symbols))

    def closes(self) -> list[DayClose]:
        """Per trading day of the chunk: its last event so far (a day may go on in the next chunk)."""
        eq = self.equity[self.day_last].tolist()
        rows = self.journal.row[self.day_last].tolist()
        tss = self.journal.ts_us[self.day_last].tolist()
        pos = (self.day_last + self.ledger.offset).tolist()
        return [
            DayClose(b.day, r, t, e, e - p, k)
            for b, r, t, e, p, k in zip(self.days, rows, tss, eq, self.sod_equity.tolist(), pos, strict=True)
        ]

    def fill_day_flags(self) -> list[bool]:
        """Per trading day of the chunk: whether it has a fill here."""
        first, end = self.fill_spans
        return (end > first).tolist()


def build_frame(ledger: LedgerChunk, spec: ApexSpec, memory: dict[str, dict[str, Any]] | None = None) -> Frame:
    equity = ledger.equity
    if spec.eod_trail:
        runs = eod_runs(spec, equity, ledger.day_first, ledger.sod_equity, ledger.best_sod_before)
    else:
        runs = intraday_runs(spec, equity, ledger.highs, max(ledger.peak_before, spec.start))
    check_equity_fits(spec, int(runs.low.min()), max(ledger.peak, spec.start), ledger.journal.source)
    return Frame(spec=spec, ledger=ledger, runs=runs, memory=memory or {})
