"""The streamed readers on real files cut into many small batches (sizes patched down, as a big file is cut).

A bad row or a disorder deep in the file, or right at a batch edge, is named by its own row number;
the vectorised path and the row-by-row path give the same columns; chunks join into the whole
journal; payout rows are read in every format; `--sort` sorts across batches.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from tests.trading_core.apex.conftest import JOURNALS, policy
from tests.trading_core.apex.test_evaluate_columns import long_journal
from trading_core.apex import convert, sources
from trading_core.apex.journal import Journal
from trading_core.apex.journal_files import journal_chunks, read_journal
from trading_core.errors import TradingCoreError

COLUMNS = ("ts", "kind", "symbol", "qty", "price", "fee")
FIRST_NUMBER = {"csv": 2, "jsonl": 1, "parquet": 1}  # row / line number of the first data row
UNIT = {"csv": "row", "jsonl": "line", "parquet": "row"}


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 2048)  # ~40 rows
    monkeypatch.setattr(sources, "JSONL_BATCH_LINES", 37)
    monkeypatch.setattr(sources, "PARQUET_BATCH_ROWS", 41)


def rows_of(journal: Journal) -> list[dict[str, str]]:
    """A journal as the contract's text cells (times in UTC, prices from ticks)."""
    ins, out = policy().instruments, []
    for e in journal.events():
        price = str(ins.ticks_to_price(e.symbol, e.price_ticks))
        fill = e.kind == "fill"
        fee = str(e.fee_units / 10_000) if fill else ""
        out.append({"ts": e.ts, "kind": e.kind, "symbol": e.symbol, "qty": str(e.qty) if fill else "",
                    "price": price, "fee": fee})  # fmt: skip
    return out


def write(rows: list[dict[str, str]], path: Path, *, blank_before: int | None = None) -> Path:
    """CSV, JSON Lines or Parquet by suffix; `blank_before`: a blank line before that data row (text formats)."""
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({c: [r[c] or None for r in rows] for c in COLUMNS}), path)
        return path
    with path.open("w", newline="") as fh:
        if path.suffix == ".csv":
            fh.write(",".join(COLUMNS) + "\n")
        for k, r in enumerate(rows):
            if k == blank_before:
                fh.write("\n" if path.suffix == ".jsonl" else "  \n")
            if path.suffix == ".csv":
                csv.writer(fh, lineterminator="\n").writerow([r[c] for c in COLUMNS])
            else:
                fh.write(json.dumps({c: v for c, v in r.items() if v}) + "\n")
    return path


def sample(n: int = 600) -> list[dict[str, str]]:
    return rows_of(long_journal(11, n, reorder_rows=False))


BAD_CELLS = [
    # (case, row to spoil (0-based data row), column, bad value, words of the message)
    ("off-tick price", 450, "price", "5000.10", "price: 5000.10 is not a multiple"),
    ("naive timestamp", 333, "ts", "2026-03-10T10:00:00", "ts: naive timestamp"),
    ("unknown symbol", 512, "symbol", "ZZ", "symbol: unknown instrument 'ZZ'"),
    ("zero contracts", 401, "qty", "0", "qty: a fill needs a non-zero"),
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize(("case", "k", "column", "value", "words"), BAD_CELLS, ids=[c[0] for c in BAD_CELLS])
def test_a_bad_cell_in_a_later_batch_names_its_row(
    fmt: str, case: str, k: int, column: str, value: str, words: str, tmp_path: Path
) -> None:
    rows = sample()
    rows[k] = {**rows[k], column: value, "kind": "fill", "qty": rows[k]["qty"] or "1", "fee": rows[k]["fee"] or "0"}
    if column == "qty":
        rows[k]["qty"] = value
    blank = 100 if fmt != "parquet" else None  # blank lines are skipped but still counted
    path = write(rows, tmp_path / f"journal.{fmt}", blank_before=blank)
    number = FIRST_NUMBER[fmt] + k + (1 if blank is not None else 0)
    with pytest.raises(TradingCoreError) as err:
        read_journal(path, instruments=policy().instruments)
    assert str(err.value).startswith(f"{path}: {UNIT[fmt]} {number}: {words}")


def test_a_malformed_csv_row_in_a_later_batch_names_its_row(tmp_path: Path) -> None:
    path = write(sample(), tmp_path / "journal.csv", blank_before=50)
    lines = path.read_text().splitlines()
    lines[400] = lines[400].rsplit(",", 2)[0]  # two fields short
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TradingCoreError, match=r"journal\.csv: row 401: expected 6 fields, got 4$"):
        read_journal(path, instruments=policy().instruments)


def _first_of_second_batch(path: Path) -> int:
    """0-based data row where the reader's second batch starts."""
    batches = sources.raw_batches(path)
    return len(next(batches))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_disorder_across_a_batch_edge_names_the_later_row(fmt: str, tmp_path: Path) -> None:
    rows = sample()
    path = write(rows, tmp_path / f"journal.{fmt}")
    k = _first_of_second_batch(path)
    before = dt.datetime.fromisoformat(rows[k - 1]["ts"])
    rows[k] = {**rows[k], "ts": (before - dt.timedelta(seconds=1)).isoformat()}  # earlier than the row before
    write(rows, path)
    assert _first_of_second_batch(path) == k  # the edge did not move
    with pytest.raises(TradingCoreError) as err:
        read_journal(path, instruments=policy().instruments)
    assert str(err.value).startswith(f"{path}: {UNIT[fmt]} {FIRST_NUMBER[fmt] + k}: ts: ")
    assert "is earlier than the row before it" in str(err.value)
    sorted_journal = read_journal(path, instruments=policy().instruments, sort=True)
    assert bool(np.all(np.diff(sorted_journal.ts_us) >= 0)) and sorted(sorted_journal.row.tolist()) == list(range(600))


def _columns(journal: Journal) -> tuple:
    names = ("ts_us", "is_fill", "sym", "qty", "price_ticks", "fee_units", "row")
    return (journal.symbols, *(getattr(journal, c).tolist() for c in names), journal.payouts)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_the_vectorised_path_equals_row_by_row_validation(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = sample()
    rows[300] = {**rows[300], "ts": rows[300]["ts"].replace("Z", "+00:00")}
    rows.insert(200, {c: "" for c in COLUMNS} | {"ts": rows[199]["ts"], "kind": "payout"})
    path = write(rows, tmp_path / f"journal.{fmt}")
    fast = read_journal(path, instruments=policy().instruments)
    monkeypatch.setattr(convert, "_fast", lambda batch, table: None)
    assert _columns(read_journal(path, instruments=policy().instruments)) == _columns(fast)
    assert len(fast.payouts) == 1 and fast.payouts[0].index == 200 and fast.payouts[0].before == 200


# unusual spellings parse_row accepts and the casts do not: the batch goes the slow way, same result
SPELLINGS = [("qty", "+1"), ("price", " 5000.00"), ("kind", "Fill"), ("symbol", " ES "), ("fee", "1.50")]


@pytest.mark.parametrize(("column", "spelled"), SPELLINGS)
def test_unusual_spellings_read_like_the_plain_ones(column: str, spelled: str, tmp_path: Path) -> None:
    plain = {"ts": "2026-03-10T14:00:00Z", "kind": "fill", "symbol": "ES", "qty": "1", "price": "5000.00", "fee": "1.5"}
    rows = [plain, {**plain, "ts": "2026-03-10T14:01:00Z", "qty": "-1"}]
    odd = [{**rows[0], column: spelled}, rows[1]]
    a = read_journal(write(rows, tmp_path / "plain.csv"), instruments=policy().instruments)
    b = read_journal(write(odd, tmp_path / "odd.csv"), instruments=policy().instruments)
    assert _columns(a) == _columns(b)


@pytest.mark.parametrize("size", [1, 7, 250])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_chunks_join_into_the_whole_journal(size: int, fmt: str, tmp_path: Path) -> None:
    rows = sample(300)
    rows.insert(120, {c: "" for c in COLUMNS} | {"ts": rows[119]["ts"], "kind": "payout"})
    path = write(rows, tmp_path / f"journal.{fmt}")
    whole = read_journal(path, instruments=policy().instruments)
    chunks = list(journal_chunks(path, instruments=policy().instruments, chunk_events=size))
    assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
    for name in ("ts_us", "qty", "price_ticks", "row"):
        assert np.concatenate([getattr(c, name) for c in chunks]).tolist() == getattr(whole, name).tolist()
    (payout,) = [p for c in chunks for p in c.payouts]
    owner = next(k for k, c in enumerate(chunks) if c.payouts)
    assert payout.index == 120 and sum(len(c) for c in chunks[:owner]) + payout.before == 120


def test_payout_rows_need_only_time_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text(
        json.dumps({"ts": "2026-03-10T14:00:00Z", "kind": "mark", "symbol": "ES", "price": 5000}) + "\n"
        + json.dumps({"ts": "2026-03-10T15:00:00Z", "kind": "payout"}) + "\n"
    )  # fmt: skip
    journal = read_journal(path, instruments=policy().instruments)
    assert len(journal) == 1 and [(p.index, p.before) for p in journal.payouts] == [(1, 1)]


def test_a_journal_of_payout_requests_alone_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    path.write_text("ts,kind,symbol,qty,price,fee\n2026-03-10T15:00:00Z,payout,,,,\n")
    with pytest.raises(TradingCoreError, match="empty journal: expected at least one event"):
        read_journal(path, instruments=policy().instruments)


def test_fixtures_read_the_same_streamed_in_tiny_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(JOURNALS.glob("*.csv")):
        whole = read_journal(path, instruments=policy().instruments)
        monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 64)  # a row or two per batch
        tiny = read_journal(path, instruments=policy().instruments)
        monkeypatch.setattr(sources, "CSV_BLOCK_BYTES", 2048)
        assert _columns(tiny) == _columns(whole), path.name


def test_a_parquet_file_from_pandas_reads_the_vectorised_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = sample(200)
    nan = float("nan")
    table = {
        "ts": pa.array(np.array([r["ts"].removesuffix("Z") for r in rows], "datetime64[us]")).cast(
            pa.timestamp("us", tz="UTC")
        ),
        "kind": pa.array([r["kind"] for r in rows]).dictionary_encode(),
        "symbol": pa.array([r["symbol"] for r in rows]).dictionary_encode(),
        "qty": [float(r["qty"]) if r["qty"] else nan for r in rows],  # floats with NaN for marks, as pandas writes
        "price": [float(r["price"]) for r in rows],
        "fee": [float(r["fee"]) if r["fee"] else nan for r in rows],
    }
    pq.write_table(pa.table(table), tmp_path / "pandas.parquet")
    text = read_journal(write(rows, tmp_path / "journal.csv"), instruments=policy().instruments)
    monkeypatch.setattr(convert, "_slow", lambda *args: pytest.fail("a clean file took the row-by-row path"))
    assert _columns(read_journal(tmp_path / "pandas.parquet", instruments=policy().instruments)) == _columns(text)
    first_fill = next(k for k, r in enumerate(rows) if r["kind"] == "fill")
    table["fee"][first_fill] = nan
    pq.write_table(pa.table(table), tmp_path / "bad.parquet")
    monkeypatch.undo()
    monkeypatch.setattr(sources, "PARQUET_BATCH_ROWS", 41)
    with pytest.raises(TradingCoreError, match=r"bad\.parquet: row \d+: fee: expected a finite number"):
        read_journal(tmp_path / "bad.parquet", instruments=policy().instruments)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "journal.jsonl",
            b'{"ts": "2026-03-10T14:00:00Z", "kind": "payout"}\n{"ts": "\xff"}\n',
            "line 2: not UTF-8 text",
        ),
        ("journal.csv", b"ts,kind,symbol,qty,price,fee\n2026-03-10T14:00:00Z,mark,E\xffS,,5000,\n", "row 2: not UTF-8"),
        ("journal.csv", b"ts,ki\xffnd,symbol,qty,price,fee\n", "row 1: not UTF-8 text"),
    ],
)
def test_bytes_that_are_not_utf8_are_one_line(name: str, content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TradingCoreError, match=message) as err:
        read_journal(path, instruments=policy().instruments)
    assert "\n" not in str(err.value)
