"""Trading days and deadlines: 18:00 ET to 16:59 ET, DST-correct, early closes from the policy."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.trading_core.apex.conftest import policy
from trading_core.apex.session import SessionCalendar, iso_utc, to_us


def _us(text: str) -> int:
    return to_us(dt.datetime.fromisoformat(text))


@pytest.fixture(scope="module")
def calendar() -> SessionCalendar:
    return SessionCalendar(policy().session)


@pytest.mark.parametrize(
    ("ts", "day"),
    [
        ("2026-03-10T17:59:59-04:00", "2026-03-10"),  # the quiet hour after the deadline is still that day
        ("2026-03-10T18:00:00-04:00", "2026-03-11"),  # evening session counts to the next day
        ("2026-03-08T18:30:00-04:00", "2026-03-09"),  # Sunday evening, first session after DST starts
        ("2026-01-05T22:59:59Z", "2026-01-05"),  # winter: 18:00 EST = 23:00 UTC
        ("2026-01-05T23:00:00Z", "2026-01-06"),
        ("2026-07-06T21:59:59Z", "2026-07-06"),  # summer: 18:00 EDT = 22:00 UTC
        ("2026-07-06T22:00:00Z", "2026-07-07"),
    ],
)
def test_trading_day(calendar: SessionCalendar, ts: str, day: str) -> None:
    assert calendar.trading_day(_us(ts)).day.isoformat() == day
    index, days = calendar.day_index(np.array([_us(ts)], np.int64))
    assert days[int(index[0])].day.isoformat() == day


@pytest.mark.parametrize(
    ("day", "deadline", "cutoff"),
    [
        ("2026-03-06", "2026-03-06T21:59:00Z", "2026-03-06T21:45:00Z"),  # winter, last Friday before DST
        ("2026-03-09", "2026-03-09T20:59:00Z", "2026-03-09T20:45:00Z"),  # summer, first Monday after
        ("2026-11-02", "2026-11-02T21:59:00Z", "2026-11-02T21:45:00Z"),  # back to winter
        ("2026-11-27", "2026-11-27T17:59:00Z", "2026-11-27T17:45:00Z"),  # early close (policy)
    ],
)
def test_deadline_and_cutoff_utc(calendar: SessionCalendar, day: str, deadline: str, cutoff: str) -> None:
    b = calendar.bounds(dt.date.fromisoformat(day))
    assert (iso_utc(b.deadline_us), iso_utc(b.cutoff_us)) == (deadline, cutoff)


def test_day_index_over_a_dst_change_matches_the_scalar_path(calendar: SessionCalendar) -> None:
    start = _us("2026-03-05T00:00:00Z")
    ts = np.arange(start, start + 6 * 86_400 * 1_000_000, 7 * 60 * 1_000_000, dtype=np.int64)
    index, days = calendar.day_index(ts)
    assert [days[i].day for i in index.tolist()] == [calendar.trading_day(t).day for t in ts.tolist()]
