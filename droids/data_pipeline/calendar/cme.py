"""Sessions of one instrument from pandas-market-calendars and exchange-calendars, cross-checked.

Both libraries model CME Globex equity futures (`CME_Equity`, `CMES`) and both have errors in some
years, so a bar is expected only where **both** say the market is open: the sessions of a date are
intersected (later open, earlier close, either library's breaks). A date where they disagree on
whether there is a session, on its open or on an early close is listed in `disagreements` (DATA012,
info), once. Their regular closes differ by design (exchange-calendars' CMES runs to 17:00 CT, with
no daily break; pandas-market-calendars closes at 16:00 CT), so only early closes are compared.
When one library is missing or does not know the calendar, the other is used alone and `note` says
the cross-check was not done.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING

from droids.core.errors import DroidError

if TYPE_CHECKING:
    import numpy as np

_NS_DAY = 86_400 * 1_000_000_000
_NAT = -(2**63)  # NaT as int64


@dataclass(frozen=True)
class _Day:
    open: int
    close: int
    breaks: tuple[tuple[int, int], ...]


@dataclass
class Calendar:
    """The sessions both libraries agree are open, for whole years [first_year, last_year]."""

    name: str
    first_year: int
    last_year: int
    dates: list[date]
    opens: np.ndarray  # int64 ns, one per session, ascending
    closes: np.ndarray
    seg_start: np.ndarray  # trading segments: sessions minus their breaks
    seg_end: np.ndarray
    disagreements: list[tuple[date, str]] = field(default_factory=list)
    note: str | None = None

    def covers(self, first_ns: int, last_ns: int) -> bool:
        return _year(first_ns) >= self.first_year and _year(last_ns) <= self.last_year

    def session_of(self, ts: np.ndarray) -> np.ndarray:
        """Index of the session each time falls in, -1 outside every session."""
        import numpy as np

        k = np.searchsorted(self.opens, ts, side="right") - 1
        inside = (k >= 0) & (ts < self.closes[np.maximum(k, 0)])
        return np.where(inside, k, -1)

    def slots(self, interval: int) -> Slots:
        return Slots(self, interval)


class Slots:
    """The expected bar opens of every session for bars of `interval` ns (open, open + interval, ...)."""

    def __init__(self, cal: Calendar, interval: int) -> None:
        import numpy as np

        self.interval = interval
        self.start = cal.seg_start
        self.end = cal.seg_end
        self.count = -((self.start - self.end) // interval)  # ceil((end - start) / interval)
        self.cum = np.concatenate(([0], np.cumsum(self.count)[:-1])).astype(np.int64)
        self.cum_end = self.cum + self.count

    def before(self, t: np.ndarray) -> np.ndarray:
        """How many expected bar opens lie strictly before each time."""
        import numpy as np

        k = np.searchsorted(self.start, t, side="right") - 1
        kk = np.maximum(k, 0)
        within = np.clip(-((self.start[kk] - t) // self.interval), 0, self.count[kk])
        return np.where(k >= 0, self.cum[kk] + within, 0)

    def is_slot(self, t: np.ndarray) -> np.ndarray:
        import numpy as np

        k = np.searchsorted(self.start, t, side="right") - 1
        kk = np.maximum(k, 0)
        return (k >= 0) & (t < self.end[kk]) & ((t - self.start[kk]) % self.interval == 0)

    def time_of(self, index: np.ndarray) -> np.ndarray:
        """The bar open of expected slot number `index`."""
        import numpy as np

        k = np.searchsorted(self.cum_end, index, side="right")
        return self.start[k] + (index - self.cum[k]) * self.interval


def calendar_for(pmc_name: str, xcals_name: str, tz: str, first_ns: int, last_ns: int) -> Calendar:
    """The calendar covering the years of [first_ns, last_ns] (built once per range of years)."""
    return _build(pmc_name, xcals_name, tz, _year(first_ns), _year(last_ns))


def _year(ns: int) -> int:
    return datetime.fromtimestamp(int(ns) // 1_000_000_000, UTC).year


@lru_cache(maxsize=16)
def _build(pmc_name: str, xcals_name: str, tz: str, y0: int, y1: int) -> Calendar:
    import numpy as np

    start, end = date(y0 - 1, 12, 24), date(y1 + 1, 1, 7)
    with warnings.catch_warnings():  # pandas 3 deprecations raised inside the calendar libraries, not ours
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        pmc, pmc_err = _pmc_days(pmc_name, start, end)
        xc, xc_err = _xcals_days(xcals_name, start, end)
    name = f"{pmc_name}+{xcals_name}"
    note = None
    if pmc is None and xc is None:
        raise DroidError(f"CME calendar: neither library can give {pmc_name}/{xcals_name}: {pmc_err}; {xc_err}")
    if pmc is None or xc is None:
        days = pmc if pmc is not None else xc
        used = f"pandas-market-calendars {pmc_name}" if pmc is not None else f"exchange-calendars {xcals_name}"
        note = f"calendar cross-check not done: {pmc_err or xc_err}; using {used} alone"
        disagreements: list[tuple[date, str]] = []
        name = pmc_name if pmc is not None else xcals_name
    else:
        days, disagreements = _intersect(pmc, xc, tz, pmc_name, xcals_name)
    assert days is not None
    ordered = sorted(days)
    opens = np.array([days[d].open for d in ordered], dtype=np.int64)
    closes = np.array([days[d].close for d in ordered], dtype=np.int64)
    seg_start, seg_end = [], []
    for d in ordered:
        cursor = days[d].open
        for b0, b1 in sorted(days[d].breaks):
            if b0 > cursor:
                seg_start.append(cursor)
                seg_end.append(min(b0, days[d].close))
            cursor = max(cursor, b1)
        if cursor < days[d].close:
            seg_start.append(cursor)
            seg_end.append(days[d].close)
    return Calendar(
        name=name,
        first_year=y0,
        last_year=y1,
        dates=ordered,
        opens=opens,
        closes=closes,
        seg_start=np.array(seg_start, dtype=np.int64),
        seg_end=np.array(seg_end, dtype=np.int64),
        disagreements=disagreements,
        note=note,
    )


def _pmc_days(name: str, start: date, end: date) -> tuple[dict[date, _Day] | None, str | None]:
    try:
        import pandas_market_calendars as mcal
    except ImportError:
        return None, "pandas-market-calendars is not installed"
    try:
        schedule = mcal.get_calendar(name).schedule(start.isoformat(), end.isoformat())
    except Exception as exc:  # an unknown name is a RuntimeError listing every calendar
        return None, f"pandas-market-calendars has no calendar {name!r} ({exc.__class__.__name__})"
    return _days(schedule, "market_open", "market_close"), None


def _xcals_days(name: str, start: date, end: date) -> tuple[dict[date, _Day] | None, str | None]:
    try:
        import exchange_calendars as xcals
    except ImportError:
        return None, "exchange-calendars is not installed"
    try:
        schedule = xcals.get_calendar(name, start=start.isoformat(), end=end.isoformat()).schedule
    except Exception as exc:  # InvalidCalendarName, or dates outside the library's bounds
        return None, f"exchange-calendars has no calendar {name!r} for these dates ({exc.__class__.__name__})"
    return _days(schedule, "open", "close"), None


def _days(schedule: object, open_col: str, close_col: str) -> dict[date, _Day]:
    """{session date: open, close, breaks} from a library's schedule, column by column (no row loop
    in pandas: a decade is ~2,500 sessions per library)."""
    cols = schedule.columns  # type: ignore[attr-defined]

    def ns_of(col: str) -> list[int | None]:
        values = schedule[col].dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")  # type: ignore[index]
        return [None if v == _NAT else int(v) for v in values.astype("int64").tolist()]

    opens, closes = ns_of(open_col), ns_of(close_col)
    starts = ns_of("break_start") if "break_start" in cols else [None] * len(opens)
    ends = ns_of("break_end") if "break_end" in cols else [None] * len(opens)
    out: dict[date, _Day] = {}
    for day, o, c, b0, b1 in zip(schedule.index.date, opens, closes, starts, ends, strict=True):  # type: ignore[attr-defined]
        breaks = ((b0, b1),) if b0 is not None and b1 is not None and b1 > b0 else ()
        out[day] = _Day(o, c, breaks)  # type: ignore[arg-type]
    return out


def _intersect(
    a: dict[date, _Day], b: dict[date, _Day], tz: str, a_name: str, b_name: str
) -> tuple[dict[date, _Day], list[tuple[date, str]]]:
    regular_a, regular_b = _regular_close(a, tz), _regular_close(b, tz)
    out: dict[date, _Day] = {}
    differ: list[tuple[date, str]] = []
    la, lb = f"pandas-market-calendars {a_name}", f"exchange-calendars {b_name}"
    for d in sorted(set(a) | set(b)):
        x, y = a.get(d), b.get(d)
        if x is None or y is None:
            has, hasnt = (la, lb) if x is not None else (lb, la)
            differ.append((d, f"{has} has a session, {hasnt} has none (no bar is expected)"))
            continue
        early_x = _local(x.close, tz) if _local(x.close, tz) != regular_a else None
        early_y = _local(y.close, tz) if _local(y.close, tz) != regular_b else None
        if x.open != y.open:
            differ.append((d, f"{la} opens at {_hm(x.open, tz)}, {lb} at {_hm(y.open, tz)}"))
        elif early_x != early_y:
            say_x = f"closes early at {early_x:%H:%M}" if early_x else "has a regular close"
            say_y = f"closes early at {early_y:%H:%M}" if early_y else "has a regular close"
            differ.append((d, f"{la} {say_x}, {lb} {say_y} ({tz}; bars expected to the earlier close)"))
        out[d] = _Day(max(x.open, y.open), min(x.close, y.close), x.breaks + y.breaks)
    return out, differ


def _local(ns: int, tz: str) -> time:
    from zoneinfo import ZoneInfo

    return datetime.fromtimestamp(ns / 1e9, ZoneInfo(tz)).time()


def _hm(ns: int, tz: str) -> str:
    return _local(ns, tz).strftime("%H:%M")


def _regular_close(days: dict[date, _Day], tz: str) -> time:
    return Counter(_local(d.close, tz) for d in days.values()).most_common(1)[0][0]
