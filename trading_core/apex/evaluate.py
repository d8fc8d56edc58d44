"""The post-trade face of the rules: check a journal chunk by chunk, vectorised with numpy.

`evaluate(journal, policy)` checks an in-memory journal; `evaluate_chunks(chunks, specs)` checks a
streamed one (journal_files.journal_chunks) under one or several rule sets at once. Per chunk, one
`LedgerStream` computes what no rule set changes (equity per event, positions and exposure per fill,
trading days; columns.py), and one `Judge` per rule set builds its frame (the threshold per run of
one high-water mark) and runs each rule's `scan` over it. The results are exactly what
`ApexMonitor` returns after stepping through the same journal one event at a time (the property
tests in tests/trading_core/apex check that on random journals cut into random chunks).

Across chunks a judge carries each rule's memory (an episode still open, the account blown), the
(trading day, symbol) pairs already reported on the day in progress (so per-day rules report once
per day, whichever chunk sees it first), the payout window, and the summary's running figures.
`keep` bounds the violations listed to the first N per rule; `counts` counts them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from trading_core.apex import rules
from trading_core.apex.journal import Journal, Payout
from trading_core.apex.payout import PayoutWindow
from trading_core.apex.policy import ApexPolicy
from trading_core.apex.result import ComplianceResult, Violation
from trading_core.apex.rules.base import DayClose
from trading_core.apex.session import SessionCalendar
from trading_core.apex.spec import ApexSpec, compile_spec
from trading_core.apex.summary import SortKey, better_day, sort_key, summarize

if TYPE_CHECKING:
    import numpy as np

    from trading_core.apex.frame import Frame

# rules reported once per trading day and symbol (APX007: per trading day)
_ONCE_PER_DAY = {"APX002", "APX003", "APX005", "APX006", "APX007"}


def evaluate(
    journal: Journal, policy: ApexPolicy | ApexSpec, *, payout_at_end: bool = False, keep: int | None = None
) -> ComplianceResult:
    spec = policy if isinstance(policy, ApexSpec) else compile_spec(policy)
    (result,) = evaluate_chunks([journal], [spec], payout_at_end=payout_at_end, keep=keep)
    return result


def evaluate_chunks(
    chunks: Iterable[Journal], specs: list[ApexSpec], *, payout_at_end: bool = False, keep: int | None = None
) -> list[ComplianceResult]:
    """Every chunk through one ledger and one judge per spec (all specs share the account: same ledger)."""
    from trading_core.apex.columns import LedgerStream  # numpy: loaded on the first evaluate, not on import

    calendar = SessionCalendar(specs[0].policy.session)
    ledger = LedgerStream(specs[0], calendar)
    judges = [Judge(spec, calendar, payout_at_end=payout_at_end, keep=keep) for spec in specs]
    for chunk in chunks:
        part = ledger.run(chunk) if len(chunk) else None
        for judge in judges:
            judge.feed(part, chunk.payouts)
    return [judge.result() for judge in judges]


class Judge:
    """One rule set's verdict over a journal fed chunk by chunk."""

    def __init__(
        self, spec: ApexSpec, calendar: SessionCalendar, *, payout_at_end: bool = False, keep: int | None = None
    ) -> None:
        self.spec, self.calendar, self.payout_at_end, self.keep = spec, calendar, payout_at_end, keep
        self.memory: dict[str, dict[str, Any]] = {rule.RULE.id: {} for rule in rules.EVENT_RULES}
        self.seen: dict[str, set[tuple[str, str | None]]] = {rule: set() for rule in _ONCE_PER_DAY}
        self.kept: dict[str, list[tuple[SortKey, Violation]]] = {}
        self.counts: Counter[str] = Counter()
        self.window = PayoutWindow(spec)
        self.best: DayClose | None = None  # best closed winning day of the journal
        self.open: DayClose | None = None  # the day in progress (its last event so far)
        self.fill_days, self.last_fill_day = 0, None
        self.min_distance: int | None = None
        self.events, self.final, self.peak = 0, spec.start, spec.start

    def feed(self, ledger: Any, payouts: tuple[Payout, ...] = ()) -> None:
        """One chunk's ledger (None for a chunk of payout requests alone) and its payout requests."""
        if ledger is None:
            for p in payouts:
                self._request(p, self.events)
            return
        from trading_core.apex.frame import build_frame

        frame = build_frame(ledger, self.spec, self.memory)
        found: list[Violation] = []
        for rule in rules.EVENT_RULES:
            mine = rule.scan(frame)
            found.extend(mine)
            if hasattr(rule, "carry"):
                self.memory[rule.RULE.id] = rule.carry(frame, mine)
        positions = _positions_of_rows(frame.journal.row, [v.event_index for v in found])
        keyed = sorted(((sort_key(v, p + ledger.offset), v) for p, v in zip(positions, found, strict=True)),
                       key=lambda kv: kv[0])  # fmt: skip
        self._days(frame, ledger.offset, payouts)  # closes, fill days, payout requests (in event order)
        for key, v in keyed:
            if v.rule in _ONCE_PER_DAY:
                once = (v.trading_day, None if v.rule == "APX007" else v.symbol)
                if once in self.seen[v.rule]:
                    continue  # an earlier chunk reported this day (and symbol) already
                self.seen[v.rule].add(once)
            self._keep(key, v)
        last_day = frame.days[-1].day.isoformat()
        for keys in self.seen.values():  # only the day in progress can be seen again
            keys.intersection_update({k for k in keys if k[0] == last_day})
        distance = frame.runs.min_distance()
        self.min_distance = distance if self.min_distance is None else min(self.min_distance, distance)
        self.events += frame.n
        self.final, self.peak = int(frame.equity[-1]), max(ledger.peak, self.spec.start)

    def _keep(self, key: SortKey, v: Violation) -> None:
        self.counts[v.rule] += 1
        mine = self.kept.setdefault(v.rule, [])
        if self.keep is None or len(mine) < self.keep:
            mine.append((key, v))

    def _days(self, frame: Frame, offset: int, payouts: tuple[Payout, ...]) -> None:
        """Walk the chunk's day closes and payout requests in event order."""
        closes = frame.closes()
        flags = frame.fill_day_flags()
        pending = list(payouts)
        for close, has_fill in zip(closes, flags, strict=True):
            while pending and pending[0].before <= close.last_pos - offset:  # requested before this close
                p = pending.pop(0)
                self._advance_to(frame, p.before - 1, offset)
                self._request(p, offset + p.before)
            if self.open is not None and self.open.day != close.day:
                self.best = better_day(self.best, self.open)
            self.open = close
            self.window.advance(close.day, close.equity, close.last_index, close.last_ts_us, close.last_pos)
            if has_fill and close.day != self.last_fill_day:
                self.fill_days, self.last_fill_day = self.fill_days + 1, close.day
        for p in pending:  # after the chunk's last event
            self._request(p, offset + p.before)

    def _advance_to(self, frame: Frame, local: int, offset: int) -> None:
        """The payout window at event `local` of the chunk (-1: the event before the chunk, already there)."""
        if local < 0:
            return
        j = frame.journal
        day = frame.days[int(frame.day_of(_array(local))[0])].day
        self.window.advance(day, int(frame.equity[local]), int(j.row[local]), int(j.ts_us[local]), local + offset)

    def _request(self, p: Payout, position: int) -> None:
        v = self.window.request(p.index, p.ts_us, self.calendar.trading_day(p.ts_us).day)
        if v is not None:
            self._keep(sort_key(v, position - 0.5), v)

    def result(self) -> ComplianceResult:
        kept = {rule: list(found) for rule, found in self.kept.items()}
        counts = Counter(self.counts)
        end = self.window.at_end() if self.payout_at_end else None
        if end is not None:
            counts[end[1].rule] += 1
            kept.setdefault(end[1].rule, []).append((sort_key(end[1], end[0]), end[1]))
        ordered = sorted((kv for found in kept.values() for kv in found), key=lambda kv: kv[0])
        assert self.min_distance is not None, "no events"
        summary = summarize(
            self.spec,
            better_day(self.best, self.open),
            final_equity=self.final,
            peak=self.peak,
            min_distance=Fraction(self.min_distance, self.spec.dd.scale),
            trading_days=self.fill_days,
            payout=self.window.status(),
        )
        return ComplianceResult(tuple(v for _, v in ordered), summary, self.events, dict(counts))


def _array(value: int) -> np.ndarray:
    import numpy as np

    return np.array([value])


def _positions_of_rows(row: np.ndarray, rows: list[int]) -> list[int]:
    """Processing position of each data row (they differ only after --sort)."""
    import numpy as np

    if not rows:
        return []
    wanted = np.array(rows, np.int64)
    if bool(np.all(row[1:] > row[:-1])):
        return np.searchsorted(row, wanted).tolist()
    order = np.argsort(row)
    return order[np.searchsorted(row, wanted, sorter=order)].tolist()
