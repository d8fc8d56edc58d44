"""One pass over bar files: every per-bar rule (DATA001-DATA008) on each streamed batch, the session
rules (DATA007 no volume, DATA010 missing bars) carried across batches, the calendar cross-check
(DATA012) once per run.

Memory is flat: a batch (`validation.batch_rows` bars, default 65,536) at a time, plus one small
record per session and symbol. Each file is judged on its own; within a file each symbol has its own
sequence. Findings are listed up to `validation.max_listed_per_rule` per rule and file; every
violation is counted (`counts`) and a note says how many were not listed. `check_s` is the time
spent in the rules themselves, `read_s` the time pyarrow spent reading and converting.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from droids.core.errors import DroidError
from droids.core.models import Finding
from droids.data_pipeline.bars.read import BarFile, read_batches, ts_bounds
from droids.data_pipeline.bars.schema import interval_of_ns
from droids.data_pipeline.calendar import data007_zero_volume_session as data007
from droids.data_pipeline.calendar import data010_missing_bars as data010
from droids.data_pipeline.calendar import data012_calendars_disagree as data012
from droids.data_pipeline.calendar.cme import Calendar, calendar_for
from droids.data_pipeline.names import finding, iso_utc
from droids.data_pipeline.validate import (
    data001_out_of_order,
    data002_duplicate_timestamp,
    data003_future_timestamp,
    data004_ohlc_integrity,
    data005_off_tick_grid,
    data006_negative_volume,
    data008_not_finite,
)
from droids.data_pipeline.validate.context import BatchContext

if TYPE_CHECKING:
    from droids.data_pipeline.policy import DataPolicy
    from droids.data_pipeline.symbols import Symbols, SymbolSpec

BAR_RULES = (
    data001_out_of_order,
    data002_duplicate_timestamp,
    data003_future_timestamp,
    data004_ohlc_integrity,
    data005_off_tick_grid,
    data006_negative_volume,
    data008_not_finite,
)
RULES = tuple(sorted((*(m.RULE for m in BAR_RULES), data007.RULE, data010.RULE, data012.RULE), key=lambda r: r.id))
HOUR_NS = 3_600_000_000_000
_YEAR_NS = 366 * 86_400 * 1_000_000_000
_YEARS_AHEAD_NS = 4 * _YEAR_NS


@dataclass
class Track:
    """One symbol's sequence within one file."""

    spec: SymbolSpec
    step: int | None  # bar length in ns (None: unknown, completeness not judged)
    prev_ts: int | None = None
    prev_row: int | None = None
    first_ts: int | None = None
    newest: int | None = None
    bars: int = 0
    cal: Calendar | None = None
    sessions: data007.SessionVolumes = field(default_factory=data007.SessionVolumes)
    gaps: data010.GapFinder | None = None


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    bars: int = 0
    files: int = 0
    check_s: float = 0.0
    read_s: float = 0.0
    calendar_s: float = 0.0  # building the CME calendars (once per range of years), not counted in check_s
    newest: dict[str, int] = field(default_factory=dict)  # symbol -> newest bar ns
    calendars: dict[str, Calendar] = field(default_factory=dict)  # symbol -> calendar used
    first: dict[str, int] = field(default_factory=dict)

    def metrics(self) -> dict[str, object]:
        rate = self.bars / self.check_s if self.check_s > 0 else None
        return {
            "data_files": self.files,
            "data_bars": self.bars,
            "data_check_s": round(self.check_s, 4),
            "data_read_s": round(self.read_s, 4),
            "data_calendar_s": round(self.calendar_s, 4),
            "data_bars_per_s_checks": round(rate) if rate else None,
        }


class Scanner:
    def __init__(self, policy: DataPolicy, symbols: Symbols, now_ns: int) -> None:
        self.policy = policy
        self.symbols = symbols
        self.now_ns = now_ns
        self.result = ScanResult()
        self._disagree: dict[date, str] = {}
        self._calendar_s = 0.0
        self._noted: set[str] = set()

    def scan(self, f: BarFile, *, step: int | None = None, ranges: Iterable[tuple[int, int]] = ()) -> None:
        """Judge one file; `step` is the bar length when known (a catalog), else it is inferred;
        `ranges` are the fetched ranges of a catalog partition (missing bars at their ends count)."""
        listed: Counter[str] = Counter()
        tracks: dict[str, Track] = {}
        v = self.policy.validation
        res = self.result
        res.files += 1
        bounds = ts_bounds(f)
        t_read = time.perf_counter()
        for bars in read_batches(f, v.batch_rows):
            t0 = time.perf_counter()
            res.read_s += t0 - t_read
            track = tracks.get(bars.symbol)
            if track is None:
                spec = self.symbols.get(bars.symbol, where=f"{f.display}: {f.where(int(bars.rows[0]))[1]}")
                track = tracks[bars.symbol] = Track(spec, step or _infer_step(bars.ts))
                track.gaps = data010.GapFinder(keep=v.max_listed_per_rule)
                self._tick_note(spec)
                if bounds is not None:
                    track.cal = self._calendar(spec, *bounds)
            ctx = BatchContext(f, bars, track.prev_ts, self.now_ns, int(v.future_tolerance_s * 1e9), track.spec.tick)
            for rule in BAR_RULES:
                idx, say = rule.find(ctx)
                if len(idx):
                    self._report(f, rule.RULE, ctx, idx, say, listed)
            self._sessions(f, track, ctx)
            track.bars += len(bars)
            track.first_ts = int(bars.ts[0]) if track.first_ts is None else track.first_ts
            newest = int(bars.ts.max())
            track.newest = newest if track.newest is None else max(track.newest, newest)
            track.prev_ts, track.prev_row = int(bars.ts[-1]), int(bars.rows[-1])
            res.bars += len(bars)
            t_read = time.perf_counter()
            res.check_s += t_read - t0 - self._calendar_s
            self._calendar_s = 0.0
        for name, track in tracks.items():
            self._finish(f, name, track, tuple(ranges))
        for rule_id, total in sorted(listed.items()):
            shown = min(total, v.max_listed_per_rule)
            if total > shown:
                res.notes.append(f"{rule_id}: {total} bars in {f.display}, the first {shown} listed")

    def _report(self, f: BarFile, rule, ctx: BatchContext, idx, say, listed: Counter[str]) -> None:
        res = self.result
        room = self.policy.validation.max_listed_per_rule - listed[rule.id]
        listed[rule.id] += len(idx)
        res.counts[rule.id] += len(idx)
        for i in idx[: max(room, 0)].tolist():
            row = int(ctx.bars.rows[i])
            line, _ = f.where(row)
            ts = iso_utc(int(ctx.bars.ts[i]))
            key = f"{ctx.bars.symbol}\0{ts}\0{row}"
            res.findings.append(
                finding(rule, f"{ctx.bars.symbol} {say(i)}", path=f.display, line=line, key=key, row=row + 1, ts=ts)
            )

    def _sessions(self, f: BarFile, track: Track, ctx: BatchContext) -> None:
        spec = track.spec
        first = track.first_ts if track.first_ts is not None else int(ctx.bars.ts[0])
        last = int(ctx.bars.ts.max())
        if track.cal is None or not track.cal.covers(min(first, int(ctx.bars.ts.min())), last):
            track.cal = self._calendar(spec, min(first, int(ctx.bars.ts.min())), last)
        cal = track.cal
        track.sessions.feed(ctx, cal)
        if track.step is not None and HOUR_NS % track.step == 0 and track.gaps is not None:
            track.gaps.feed(ctx, cal.slots(track.step), track.prev_row)

    def _calendar(self, spec: SymbolSpec, first: int, last: int) -> Calendar:
        """The calendar from the year of `first` to a few years past `last` (capped at next year), so a
        long file builds it a few times, not once a year."""
        p = spec.policy
        started = time.perf_counter()
        ahead = min(max(last, first + _YEARS_AHEAD_NS), self.now_ns + _YEAR_NS)
        try:
            cal = calendar_for(p.calendar, p.xcals, p.exchange_timezone, first, max(last, ahead))
        except DroidError as exc:
            raise DroidError(f"policies/data.yaml symbols.{spec.name}: {exc}") from None
        took = time.perf_counter() - started
        self._calendar_s += took
        self.result.calendar_s += took
        if cal.note and cal.note not in self._noted:
            self._noted.add(cal.note)
            self.result.notes.append(cal.note)
        return cal

    def _finish(self, f: BarFile, name: str, track: Track, ranges: tuple[tuple[int, int], ...]) -> None:
        res = self.result
        if track.first_ts is None or track.newest is None or track.cal is None:
            return
        res.newest[name] = max(res.newest.get(name, track.newest), track.newest)
        res.first[name] = min(res.first.get(name, track.first_ts), track.first_ts)
        res.calendars[name] = track.cal
        self._disagreements(track.cal, track.first_ts, track.newest)
        step = track.step
        for open_ns, bars, row in track.sessions.silent(track.first_ts, track.newest, step or 60_000_000_000):
            res.counts[data007.RULE.id] += 1
            line, where = f.where(row)
            day = _session_date(track.cal, open_ns)
            res.findings.append(
                finding(
                    data007.RULE,
                    f"{name} session {day} ({track.cal.name}): all {bars} bars have volume 0 "
                    f"(first bar {iso_utc(open_ns)} or later, {where})",
                    path=f.display,
                    line=line,
                    key=f"{name}\0{day}",
                    session=str(day),
                )
            )
        if step is None or HOUR_NS % step:
            why = "unknown bar spacing" if step is None else f"{interval_of_ns(step) or f'{step // 10**9} s'} bars"
            res.notes.append(
                f"DATA010 not judged for {name} in {f.display}: {why} (judged for bars that divide an hour)"
            )
            return
        gaps = track.gaps
        assert gaps is not None
        slots = track.cal.slots(step)
        for lo, hi in ranges:
            gaps.edges(slots, lo, hi, track.first_ts, track.newest, track.prev_row)
        for gap in gaps.gaps:
            after = f", after {f.where(gap.after_row)[1]}" if gap.after_row is not None else ""
            line = f.where(gap.after_row)[0] if gap.after_row is not None else None
            first, last = iso_utc(gap.first), iso_utc(gap.last)
            what = f"first missing bar {first}" + (f", last {last}" if gap.count > 1 else "")
            res.findings.append(
                finding(
                    data010.RULE,
                    f"{name}: {gap.count} bar(s) missing inside open sessions of {track.cal.name}: {what}{after}",
                    path=f.display,
                    line=line,
                    key=f"{name}\0{first}",
                    ts=first,
                    missing=gap.count,
                )
            )
        res.counts[data010.RULE.id] += gaps.count
        if gaps.count > len(gaps.gaps):
            res.notes.append(
                f"DATA010: {gaps.count} gaps ({gaps.bars} bars) for {name} in {f.display}, "
                f"the first {len(gaps.gaps)} listed"
            )

    def _disagreements(self, cal: Calendar, first: int, last: int) -> None:
        lo, hi = _day(first), _day(last + 2 * 86_400_000_000_000)
        for day, what in cal.disagreements:
            if lo <= day <= hi and day not in self._disagree:
                self._disagree[day] = what
                self.result.counts[data012.RULE.id] += 1
                self.result.findings.append(
                    finding(data012.RULE, f"{day}: {what}", path=None, key=f"{cal.name}\0{day}", session=str(day))
                )

    def _tick_note(self, spec: SymbolSpec) -> None:
        if spec.tick is None and spec.name not in self._noted:
            self._noted.add(spec.name)
            self.result.notes.append(
                f"DATA005 not judged for {spec.name}: no tick size (policies/instruments.yaml has no {spec.name}, "
                f"data.yaml symbols.{spec.name}.tick_size is not set)"
            )


def _infer_step(ts) -> int | None:
    """The most common positive spacing of a batch's first bars (None when there are too few)."""
    import numpy as np

    d = np.diff(ts[:4096])
    d = d[d > 0]
    if len(d) < 2:
        return None
    values, counts = np.unique(d, return_counts=True)
    return int(values[np.argmax(counts)])


def _day(ns: int) -> date:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ns // 1_000_000_000, UTC).date()


def _session_date(cal: Calendar, open_ns: int) -> date:
    import numpy as np

    j = int(np.searchsorted(cal.opens, open_ns))
    return cal.dates[j] if j < len(cal.dates) and cal.opens[j] == open_ns else _day(open_ns)
