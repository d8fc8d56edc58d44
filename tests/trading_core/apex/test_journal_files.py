"""Bad journal input: one TradingCoreError line naming the file, the row (or line) and the column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.trading_core.apex.conftest import policy
from trading_core.apex.journal_files import read_journal
from trading_core.errors import TradingCoreError

HEADER = "ts,kind,symbol,qty,price,fee"
GOOD = "2026-03-10T10:00:00-04:00,fill,ES,1,5000.00,"
LATER = "2026-03-10T10:05:00-04:00,mark,ES,,5001.00,"

BAD_CSV = [
    # (case, file text, expected "row N: column" and a word of the reason)
    ("missing column", "ts,kind,symbol,price\n" + "2026-03-10T10:00:00Z,mark,ES,5000\n", "row 1: qty: missing column"),
    ("naive timestamp", f"{HEADER}\n{GOOD}\n2026-03-10T10:05:00,mark,ES,,5001,\n", "row 3: ts: naive timestamp"),
    ("unparsable timestamp", f"{HEADER}\n10/03/2026 10:00,fill,ES,1,5000,\n", "row 2: ts: unparsable timestamp"),
    ("out of order", f"{HEADER}\n{LATER}\n{GOOD}\n", "row 3: ts: 2026-03-10T14:00:00Z is earlier"),
    (
        "unknown symbol",
        f"{HEADER}\n{GOOD}\n2026-03-10T10:05:00Z,fill,XYZ,1,10,\n",
        "row 3: symbol: unknown instrument 'XYZ'",
    ),
    ("NaN price", f"{HEADER}\n2026-03-10T10:00:00Z,mark,ES,,nan,\n", "row 2: price: expected a finite number"),
    ("zero price", f"{HEADER}\n2026-03-10T10:00:00Z,mark,ES,,0,\n", "row 2: price: expected a positive price"),
    ("negative price", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,1,-5000,\n", "row 2: price: expected a positive price"),
    (
        "off-tick price",
        f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,1,5000.10,\n",
        "row 2: price: 5000.10 is not a multiple",
    ),
    ("fractional contracts", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,1.5,5000,\n", "row 2: qty: fractional contracts"),
    ("zero contracts", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,0,5000,\n", "row 2: qty: a fill needs a non-zero"),
    ("fill without qty", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,,5000,\n", "row 2: qty: missing value"),
    (
        "unknown kind",
        f"{HEADER}\n2026-03-10T10:00:00Z,order,ES,1,5000,\n",
        "row 2: kind: expected 'fill', 'mark' or 'payout'",
    ),
    ("negative fee", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,1,5000,-1\n", "row 2: fee: expected a non-negative fee"),
    ("sub-unit fee", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES,1,5000,0.00001\n", "row 2: fee: 0.00001 has more than 4"),
    ("empty file", "", "empty journal"),
    ("header only", f"{HEADER}\n", "empty journal"),
    ("short row", f"{HEADER}\n2026-03-10T10:00:00Z,fill,ES\n", "row 2: expected 6 fields, got 3"),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD_CSV, ids=[c[0] for c in BAD_CSV])
def test_bad_csv_is_one_line_naming_row_and_column(case: str, text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text(text)
    with pytest.raises(TradingCoreError) as err:
        read_journal(path, instruments=policy().instruments)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_out_of_order_rows_are_sorted_on_request_keeping_their_row_index(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text(f"{HEADER}\n{LATER}\n{GOOD}\n")
    journal = read_journal(path, instruments=policy().instruments, sort=True)
    assert [e.index for e in journal.events()] == [1, 0]
    assert [e.kind for e in journal.events()] == ["fill", "mark"]


BAD_JSONL = [
    ("malformed JSON", '{"ts": "2026-03-10T10:00:00Z",\n', "line 1: malformed JSON"),
    ("not an object", "[1, 2]\n", "line 1: expected a JSON object"),
    (
        "missing key",
        '{"ts": "2026-03-10T10:00:00Z", "kind": "mark", "symbol": "ES"}\n',
        "line 1: price: missing column",
    ),
    ("NaN literal", '{"ts": "2026-03-10T10:00:00Z", "kind": "mark", "symbol": "ES", "price": NaN}\n', "line 1: price"),
    (
        "blank lines still count",
        '\n\n{"ts": "2026-03-10T10:00:00", "kind": "mark", "symbol": "ES", "price": 1}\n',
        "line 3: ts: naive timestamp",
    ),
    (
        "fractional contracts",
        json.dumps({"ts": "2026-03-10T10:00:00Z", "kind": "fill", "symbol": "ES", "qty": 0.5, "price": 5000}) + "\n",
        "line 1: qty: fractional contracts",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD_JSONL, ids=[c[0] for c in BAD_JSONL])
def test_bad_jsonl_names_the_line(case: str, text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text(text)
    with pytest.raises(TradingCoreError, match=None) as err:
        read_journal(path, instruments=policy().instruments)
    assert expected in str(err.value)


def _parquet(path: Path, columns: dict[str, object]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)
    return path


def test_parquet_rows_count_from_one_and_naive_timestamp_columns_are_rejected(tmp_path: Path) -> None:
    import datetime as dt

    import pyarrow as pa

    instruments = policy().instruments
    ok = {"kind": ["mark", "fill"], "symbol": ["ES", "ES"], "qty": [None, 1], "price": [5000.0, float("nan")]}
    aware = pa.array([dt.datetime(2026, 3, 10, 14), dt.datetime(2026, 3, 10, 15)], pa.timestamp("us", tz="UTC"))
    with pytest.raises(TradingCoreError, match=r"journal\.parquet: row 2: price: expected a finite number"):
        read_journal(_parquet(tmp_path / "journal.parquet", {"ts": aware, **ok}), instruments=instruments)
    naive = pa.array([dt.datetime(2026, 3, 10, 14)] * 2, pa.timestamp("us"))
    with pytest.raises(TradingCoreError, match=r"row 1: ts: naive timestamp column"):
        read_journal(_parquet(tmp_path / "naive.parquet", {"ts": naive, **ok}), instruments=instruments)
    with pytest.raises(TradingCoreError, match=r"row 1: price: missing column"):
        read_journal(
            _parquet(
                tmp_path / "cols.parquet", {"ts": aware, "kind": ok["kind"], "symbol": ok["symbol"], "qty": ok["qty"]}
            ),
            instruments=instruments,
        )


@pytest.mark.parametrize("name", ["journal.txt", "journal", "journal.xlsx"])
def test_unknown_extension_says_what_is_expected(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(f"{HEADER}\n{GOOD}\n")
    with pytest.raises(TradingCoreError, match=r"unknown journal format .*expected \.csv, \.parquet or \.jsonl"):
        read_journal(path, instruments=policy().instruments)


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(TradingCoreError, match="cannot read journal"):
        read_journal(tmp_path / "nope.csv", instruments=policy().instruments)


def test_timestamps_keep_microseconds_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text(
        f"{HEADER}\n2026-03-09T14:30:00.250-04:00,mark,ES,,5000,\n2026-03-09T18:30:00.250001Z,mark,ES,,5000,\n"
    )
    events = list(read_journal(path, instruments=policy().instruments).events())
    assert [e.ts for e in events] == ["2026-03-09T18:30:00.250000Z", "2026-03-09T18:30:00.250001Z"]
