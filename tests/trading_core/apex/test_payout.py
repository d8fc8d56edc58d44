"""APX004 as the payout rule it is: judged at payout requests (journal rows, or `--payout`), information otherwise.

Journals are real CSV files: one ES round trip a day (1 contract, no fees, $50 a point), and `payout`
rows between them. Each case is checked from both faces (evaluate, whole and streamed in chunks of
1-3 events, and the event monitor with the requests interleaved).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.trading_core.apex.conftest import monitor_result, policy
from trading_core.apex.evaluate import evaluate, evaluate_chunks
from trading_core.apex.journal_files import journal_chunks, read_journal
from trading_core.apex.spec import compile_spec

MONDAY = dt.date(2026, 3, 16)
PAY = "payout"  # a request after the previous day's close
MID = "mid"  # the next day's entry, then a request while the position is open


def write(days: list[object], path: Path) -> Path:
    """`days`: points made per trading day (ints), PAY / MID markers in between."""
    lines = ["ts,kind,symbol,qty,price,fee"]
    day, mid = MONDAY, False
    for item in days:
        if item == PAY:
            lines.append(f"{day - dt.timedelta(days=1)}T16:00:00-04:00,payout,,,,")
            continue
        if item == MID:
            mid = True
            continue
        lines.append(f"{day}T10:00:00-04:00,fill,ES,1,5000.00,0")
        if mid:
            lines.append(f"{day}T10:10:00-04:00,payout,,,,")
            mid = False
        lines.append(f"{day}T10:30:00-04:00,fill,ES,-1,{5000 + int(item):.2f},0")  # type: ignore[call-overload]
        day += dt.timedelta(days=1 if day.weekday() < 4 else 3)
    path.write_text("\n".join(lines) + "\n")
    return path


# (case, rule set, days, --payout, violations [(rule, event_index, value)], payout status fields)
CASES = [
    ("two days, no request: information only", "seed", [6, 6], False, [],
     {"eligible": False, "profit": 600, "best_day_share": 0.5, "profit_needed": 400, "days_needed": 2, "requests": 0}),
    ("two days, then a request: denied", "seed", [6, 6, PAY], False, [("APX004", 4, 0.5)],
     {"eligible": False, "requests": 1, "approved": 0, "since": None}),
    ("two days with --payout: at the best day's last event", "seed", [6, 6], True, [("APX004", 1, 0.5)],
     {"eligible": False, "requests": 0}),
    ("four even days: approved, a new window opens", "seed", [6, 6, 6, 6, PAY, 6], False, [],
     {"eligible": False, "requests": 1, "approved": 1, "since": "2026-03-19", "profit": 300,
      "best_day_share": 1.0, "profit_needed": 700, "days_needed": 3}),
    ("denied, then approved after two more days", "seed", [6, 6, PAY, 6, 6, PAY], False, [("APX004", 4, 0.5)],
     {"eligible": False, "requests": 2, "approved": 1, "since": "2026-03-19", "profit": 0}),
    ("a request inside a day counts the day up to it", "seed", [6, 6, 6, 6, MID, 6], False, [],
     {"requests": 1, "approved": 1, "since": "2026-03-20", "profit": 300, "best_day": "2026-03-20"}),
    ("4.0: exactly 50 % is a breach (inclusive)", "apex-4.0", [10, 10, PAY], False, [("APX004", 4, 0.5)],
     {"eligible": False, "max_share": 0.5, "inclusive": True, "profit_needed": 0.0001, "days_needed": 1}),
    ("4.0: below 50 % is paid", "apex-4.0", [10, 10, 2, PAY], False, [],
     {"eligible": False, "approved": 1, "since": "2026-03-18", "profit": 0}),
    ("no profit: no payout, no breach", "seed", [-6, -6, PAY], True, [],
     {"eligible": False, "best_day": None, "profit_needed": None, "approved": 0, "requests": 1}),
    ("even week: eligible", "seed", [6, 6, 6, 6], False, [],
     {"eligible": True, "best_day_share": 0.25, "profit_needed": 0, "days_needed": 0}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "ruleset", "days", "at_end", "violations", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_consistency_is_judged_at_payout_requests(
    case: str, ruleset: str, days: list[object], at_end: bool, violations: list[tuple], status: dict, tmp_path: Path
) -> None:
    pol = policy(ruleset, "50k")
    path = write(days, tmp_path / "journal.csv")
    journal = read_journal(path, instruments=pol.instruments)
    result = evaluate(journal, pol, payout_at_end=at_end)
    assert [(v.rule, v.event_index, v.value) for v in result.violations] == violations
    assert result.passed == (not violations)
    payout = result.summary.payout
    assert payout is not None
    for key, value in status.items():
        assert getattr(payout, key) == (pytest.approx(value) if isinstance(value, float) else value), key
    assert ("a payout could be requested" in payout.reason) is payout.eligible
    assert monitor_result(journal, pol, payout_at_end=at_end) == result
    for size in (1, 2, 3):
        chunks = journal_chunks(path, instruments=pol.instruments, chunk_events=size)
        assert evaluate_chunks(chunks, [compile_spec(pol)], payout_at_end=at_end) == [result], size


def test_a_denied_request_names_the_request_and_the_best_day(tmp_path: Path) -> None:
    pol = policy("seed", "50k")
    journal = read_journal(write([6, 6, PAY], tmp_path / "journal.csv"), instruments=pol.instruments)
    (v,) = evaluate(journal, pol).violations
    assert (v.trading_day, v.ts, v.limit) == ("2026-03-17", "2026-03-17T20:00:00Z", 0.3)
    assert v.message.startswith("payout requested at 2026-03-17T20:00:00Z denied: best trading day 2026-03-16")
    assert "the limit is at most 30%" in v.message
