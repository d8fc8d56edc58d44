"""DATA001-DATA008, DATA010, DATA012 on real CSV and Parquet files: a clean week of ES bars broken in
one place per case; each finding names the bar's ISO 8601 UTC time and its line (CSV) or row."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols
from droids.data_pipeline.validate.scan import Scanner, ScanResult
from tests.droids.data_pipeline.bars_factory import iso, write_csv, write_parquet

Breaker = Callable[[dict[str, np.ndarray]], None]
ROW = 300  # the bar each case breaks (row 300: line 302 of the CSV)


def _set(col: str, value: float) -> Breaker:
    def apply(b: dict[str, np.ndarray]) -> None:
        b[col][ROW] = value

    return apply


def _swap_ts(b: dict[str, np.ndarray]) -> None:
    b["ts"][ROW], b["ts"][ROW + 1] = b["ts"][ROW + 1], b["ts"][ROW]


def _repeat_ts(b: dict[str, np.ndarray]) -> None:
    b["ts"][ROW] = b["ts"][ROW - 1]


def _future(b: dict[str, np.ndarray]) -> None:
    b["ts"][-1] = time.time_ns() + 86_400 * 10**9


def _high_below_close(b: dict[str, np.ndarray]) -> None:
    b["high"][ROW] = b["close"][ROW] - 0.25
    b["low"][ROW] = min(b["low"][ROW], b["high"][ROW])


def _drop(b: dict[str, np.ndarray]) -> None:
    for k in b:
        b[k] = np.delete(b[k], range(ROW, ROW + 15))


def _no_volume_session(b: dict[str, np.ndarray]) -> None:
    ts = b["ts"]
    day = (ts >= ts[0] + 2 * 86_400 * 10**9) & (ts < ts[0] + 3 * 86_400 * 10**9)  # the third session
    b["volume"][day] = 0


CASES: list[tuple[str, Breaker | None, str | None, str]] = [
    ("clean", None, None, ""),
    ("out of order", _swap_ts, "DATA001", "is earlier than the bar before it"),
    ("duplicate", _repeat_ts, "DATA002", "repeats the timestamp"),
    ("future", _future, "DATA003", "is in the future"),
    ("high below close", _high_below_close, "DATA004", "high"),
    ("low above high", _set("low", 99_999.0), "DATA004", "high 5013.25 is below low 99999"),
    ("off grid", _set("close", 5000.1), "DATA005", "close 5000.1 is not a multiple of the tick size 0.25"),
    ("negative volume", _set("volume", -5.0), "DATA006", "volume -5 is negative"),
    ("NaN close", _set("close", float("nan")), "DATA008", "close is NaN or empty"),
    ("inf volume", _set("volume", float("inf")), "DATA008", "volume is inf"),
    ("15 bars missing", _drop, "DATA010", "15 bar(s) missing inside open sessions"),
    ("silent session", _no_volume_session, "DATA007", "bars have volume 0"),
]


def scan(path: Path, policies: Path, **policy: object) -> ScanResult:
    pol = DataPolicy.model_validate(policy)
    scanner = Scanner(pol, Symbols(pol, policies), time.time_ns())
    scanner.scan(BarFile(path.name, path))
    return scanner.result


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize(("case", "breaker", "rule", "says"), CASES, ids=[c[0] for c in CASES])
def test_rule_table(tmp_path: Path, policies: Path, bars, kind, case, breaker, rule, says) -> None:
    if breaker is not None:
        breaker(bars)
    write = write_csv if kind == "csv" else write_parquet
    path = write(tmp_path / f"es.{kind}", bars)
    res = scan(path, policies)
    found = [f for f in res.findings if f.rule != "DATA012"]
    if rule is None:
        assert found == [], [f.message for f in found]
        return
    assert {f.rule for f in found} >= {rule}, [f.message for f in found]
    hit = next(f for f in found if f.rule == rule)
    assert says in hit.message
    if rule in ("DATA001", "DATA002", "DATA004", "DATA005", "DATA006", "DATA008"):
        row = ROW + 1 if rule not in ("DATA001",) else ROW + 2  # the swap's second bar is the earlier one
        assert iso(int(bars["ts"][row - 1])) in hit.message  # ISO 8601 UTC of the offending bar
        where = f"line {row + 1}" if kind == "csv" else f"row {row}"
        assert where in hit.message
        assert hit.line == (row + 1 if kind == "csv" else None)


def test_each_bar_rule_counts_every_violation_lists_the_first_n(tmp_path: Path, policies: Path, bars) -> None:
    bars["volume"][100:160] = -1
    res = scan(write_parquet(tmp_path / "es.parquet", bars), policies, validation={"max_listed_per_rule": 5})
    assert res.counts["DATA006"] == 60
    assert len([f for f in res.findings if f.rule == "DATA006"]) == 5
    assert any("DATA006: 60 bars" in n and "first 5 listed" in n for n in res.notes)


def test_batches_carry_order_across_their_edges(tmp_path: Path, policies: Path, bars) -> None:
    """The repeat sits exactly on a batch edge (1024 rows a batch): still one DATA002, no false gap."""
    bars["ts"][1024] = bars["ts"][1023]
    res = scan(write_parquet(tmp_path / "es.parquet", bars), policies, validation={"batch_rows": 1024})
    assert [f.rule for f in res.findings if f.rule in ("DATA001", "DATA002")] == ["DATA002"]
    assert res.counts["DATA010"] == 1  # the bar the repeat replaced is missing, once


def test_no_tick_size_skips_the_grid_rule_and_says_so(tmp_path: Path, bars) -> None:
    empty = tmp_path / "no-policies"
    empty.mkdir()
    bars["close"][5] = 5000.1
    res = scan(write_csv(tmp_path / "es.csv", bars), empty)
    assert not [f for f in res.findings if f.rule == "DATA005"]
    assert any("DATA005 not judged for ES" in n for n in res.notes)


def test_multi_symbol_file_keeps_one_sequence_per_symbol(tmp_path: Path, policies: Path, bars) -> None:
    n = 400
    lines = ["ts,symbol,open,high,low,close,volume"]
    for i in range(n):
        for sym in ("ES", "NQ"):
            vals = ",".join(repr(float(bars[c][i])) for c in ("open", "high", "low", "close", "volume"))
            lines.append(f"{iso(int(bars['ts'][i]))},{sym},{vals}")
    path = tmp_path / "both.csv"
    path.write_text("\n".join(lines) + "\n")
    res = scan(path, policies)
    assert [f for f in res.findings if f.rule != "DATA012"] == []
    assert res.bars == 2 * n
