"""Bad input in bar files is one line naming file, line or row and column (DroidError: exit 2)."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from droids.core.errors import DroidError
from droids.data_pipeline.bars.read import BarFile, read_batches
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols
from droids.data_pipeline.validate.scan import Scanner
from tests.droids.data_pipeline.bars_factory import ns, table, write_csv

HEADER = "ts,symbol,open,high,low,close,volume\n"
GOOD = "2025-11-24T15:00:00Z,ES,5000,5000.25,4999.75,5000,10\n"

CSV_CASES = [
    (
        "naive ts",
        GOOD + "2025-11-24T15:01:00,ES,5000,5000.25,4999.75,5000,10\n",
        ":3: ts '2025-11-24T15:01:00': no UTC offset",
    ),
    ("not a date", GOOD + "yesterday,ES,5000,5000.25,4999.75,5000,10\n", ":3: ts 'yesterday': expected ISO 8601"),
    (
        "price not a number",
        GOOD * 3 + "2025-11-24T15:04:00Z,ES,abc,5000.25,4999.75,5000,10\n",
        ":5: open 'abc': expected a number",
    ),
    ("short row", GOOD + "2025-11-24T15:01:00Z,ES,5000\n", ":3: expected 7 columns, got 3"),
    ("unknown symbol", "2025-11-24T15:00:00Z,ZZ,5000,5000.25,4999.75,5000,10\n", "line 2: unknown symbol 'ZZ'"),
    ("empty ts", GOOD + ",ES,5000,5000.25,4999.75,5000,10\n", "line 3: ts is empty"),
]


def _scan(path: Path, policies: Path) -> None:
    policy = DataPolicy()
    Scanner(policy, Symbols(policy, policies), time.time_ns()).scan(BarFile(path.name, path))


@pytest.mark.parametrize(("case", "body", "says"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_csv_is_one_line_naming_the_line(tmp_path: Path, policies: Path, case: str, body: str, says: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body)
    with pytest.raises(DroidError) as err:
        _scan(path, policies)
    assert says in str(err.value)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("bad.csv")


def test_bad_row_deep_in_a_big_csv_is_found_past_pyarrow_blocks(tmp_path: Path, policies: Path) -> None:
    rows = [f"2025-11-24T{15 + i // 60:02d}:{i % 60:02d}:00Z,ES,5000,5000.25,4999.75,5000,10\n" for i in range(400)]
    rows[377] = rows[377].replace("5000.25", "5000,25")  # a decimal comma: one cell too many
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(rows))
    with pytest.raises(DroidError, match=r"big.csv:379: expected 7 columns, got 8"):
        _scan(path, policies)


def test_missing_column(tmp_path: Path, policies: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("ts,symbol,open,high,low,close\n" + GOOD.rsplit(",", 1)[0] + "\n")
    with pytest.raises(DroidError, match=r"cols.csv:1: missing column\(s\) volume"):
        _scan(path, policies)


def test_corrupt_parquet(tmp_path: Path, policies: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 64 + b"not parquet at all")
    with pytest.raises(DroidError, match=r"broken.parquet: not a readable Parquet file"):
        _scan(path, policies)


def test_truncated_parquet(tmp_path: Path, policies: Path, bars) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(table(bars), good)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DroidError, match=r"cut.parquet: not a readable Parquet file"):
        _scan(cut, policies)


def test_parquet_timestamp_without_zone(tmp_path: Path, policies: Path, bars) -> None:
    t = table(bars)
    t = t.set_column(0, "ts", t.column("ts").cast(pa.timestamp("ns")))
    path = tmp_path / "naive.parquet"
    pq.write_table(t, path)
    with pytest.raises(DroidError, match=r"naive.parquet: column ts: expected a timestamp with a time zone"):
        _scan(path, policies)


def test_parquet_price_of_strings(tmp_path: Path, policies: Path, bars) -> None:
    t = table(bars)
    t = t.set_column(2, "open", t.column("open").cast(pa.string()))
    path = tmp_path / "strings.parquet"
    pq.write_table(t, path)
    with pytest.raises(DroidError, match=r"strings.parquet: column open: expected numbers \(got string\)"):
        _scan(path, policies)


def test_staged_bytes_read_like_files(tmp_path: Path, bars) -> None:
    path = write_csv(tmp_path / "es.csv", bars)
    from_disk = list(read_batches(BarFile("es.csv", path), 4096))
    from_bytes = list(read_batches(BarFile("es.csv", data=path.read_bytes()), 4096))
    assert sum(len(b) for b in from_disk) == sum(len(b) for b in from_bytes) == len(bars["ts"])
    assert (from_disk[0].ts == from_bytes[0].ts).all()


def test_offsets_are_converted_to_utc(tmp_path: Path, policies: Path) -> None:
    path = tmp_path / "offsets.csv"
    path.write_text(HEADER + "2025-11-24T09:00:00-06:00,ES,5000,5000.25,4999.75,5000,10\n")
    batch = next(read_batches(BarFile("offsets.csv", path), 1024))
    assert int(batch.ts[0]) == ns("2025-11-24T15:00:00Z")
