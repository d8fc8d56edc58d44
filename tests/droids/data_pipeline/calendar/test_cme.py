"""The CME calendar from both libraries: holidays and early closes expected nowhere, a gap inside an
open session is one finding naming its first missing bar, disagreements reported once as info."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np

from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.calendar.cme import calendar_for
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols
from droids.data_pipeline.validate.scan import Scanner
from tests.droids.data_pipeline.bars_factory import MINUTE, bars_for, ns, session_minutes, write_parquet

TZ = "America/Chicago"


def _cal(first: str, last: str):
    return calendar_for("CME_Equity", "CMES", TZ, ns(first), ns(last))


def test_good_friday_2025_is_a_disagreement_and_no_bar_is_expected() -> None:
    cal = _cal("2025-04-01T00:00:00Z", "2025-04-30T00:00:00Z")
    assert date(2025, 4, 18) not in cal.dates
    days = dict(cal.disagreements)
    assert "has a session" in days[date(2025, 4, 18)] and "has none" in days[date(2025, 4, 18)]
    slots = cal.slots(MINUTE)
    lo, hi = ns("2025-04-17T21:00:00Z"), ns("2025-04-20T22:00:00Z")  # Thursday close .. Sunday open
    assert int(np.diff(slots.before(np.array([lo, hi])))[0]) == 0


def test_thanksgiving_early_close_ends_the_expected_bars_at_noon_central() -> None:
    cal = _cal("2025-11-01T00:00:00Z", "2025-11-30T00:00:00Z")
    i = cal.dates.index(date(2025, 11, 27))
    assert cal.closes[i] == ns("2025-11-27T18:00:00Z")  # 12:00 CT
    slots = cal.slots(MINUTE)
    after = slots.is_slot(
        np.array([ns("2025-11-27T17:59:00Z"), ns("2025-11-27T18:00:00Z"), ns("2025-11-27T20:00:00Z")])
    )
    assert after.tolist() == [True, False, False]


def _scan(tmp_path: Path, policies: Path, bars) -> list:
    path = write_parquet(tmp_path / "es.parquet", bars)
    policy = DataPolicy()
    scanner = Scanner(policy, Symbols(policy, policies), time.time_ns())
    scanner.scan(BarFile("es.parquet", path))
    return scanner.result.findings


def test_a_week_with_a_holiday_and_two_early_closes_has_no_missing_bar(tmp_path: Path, policies: Path, bars) -> None:
    assert [f for f in _scan(tmp_path, policies, bars) if f.rule != "DATA012"] == []


def test_a_gap_inside_a_session_is_one_finding_naming_its_first_missing_bar(tmp_path, policies, bars) -> None:
    gone = (bars["ts"] >= ns("2025-11-25T15:30:00Z")) & (bars["ts"] < ns("2025-11-25T16:10:00Z"))
    kept = {k: v[~gone] for k, v in bars.items()}
    found = [f for f in _scan(tmp_path, policies, kept) if f.rule == "DATA010"]
    assert len(found) == 1
    assert "40 bar(s) missing" in found[0].message
    assert "first missing bar 2025-11-25T15:30:00Z, last 2025-11-25T16:09:00Z" in found[0].message


def test_bars_dropped_after_the_early_close_are_not_missing(tmp_path, policies) -> None:
    ts = session_minutes(date(2025, 11, 26), date(2025, 11, 28))
    assert not ((ts >= ns("2025-11-27T18:00:00Z")) & (ts < ns("2025-11-27T23:00:00Z"))).any()
    found = _scan(tmp_path, policies, bars_for(ts))
    assert [f for f in found if f.rule == "DATA010"] == []


def test_disagreements_are_reported_once_per_date_for_dates_the_data_touches(tmp_path, policies) -> None:
    ts = session_minutes(date(2025, 6, 16), date(2025, 6, 20))  # Juneteenth: an early close in one library only
    b = bars_for(ts)
    path_a = write_parquet(tmp_path / "a.parquet", b)
    path_b = write_parquet(tmp_path / "b.parquet", b)
    policy = DataPolicy()
    scanner = Scanner(policy, Symbols(policy, policies), time.time_ns())
    scanner.scan(BarFile("a.parquet", path_a))
    scanner.scan(BarFile("b.parquet", path_b))
    info = [f for f in scanner.result.findings if f.rule == "DATA012"]
    assert [f.message[:10] for f in info] == ["2025-06-19"]
    assert info[0].severity.value == "info"
    assert [f for f in scanner.result.findings if f.rule == "DATA010"] == []


def test_an_unknown_exchange_calendars_name_uses_one_library_and_says_the_cross_check_was_not_done() -> None:
    cal = calendar_for("CME_Equity", "NOPE", TZ, ns("2025-11-01T00:00:00Z"), ns("2025-11-30T00:00:00Z"))
    assert cal.note and "cross-check not done" in cal.note and "NOPE" in cal.note
    assert date(2025, 11, 27) in cal.dates and cal.disagreements == []
