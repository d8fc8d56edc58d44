"""Journal files as a stream of raw batches: pyarrow's streaming CSV reader, Parquet row groups, JSON Lines.

Each batch is a few tens of thousands of rows as pyarrow arrays, with each row's number as the user
counts it, so a bad row deep in a 1 GB file is still named exactly:
- CSV (.csv): physical rows, the header is row 1, so the first event is row 2. Blank rows are
  skipped but still counted. The reader runs single-threaded: only then does pyarrow know the
  physical number of a malformed row (and the parse is not the bottleneck; see tests/benchmarks);
- JSON Lines (.jsonl, .ndjson): physical lines from 1 (blank lines skipped but counted). Lines are
  parsed by Python's json with exact decimals (pyarrow's JSON reader turns numbers into floats and
  refuses a column that mixes numbers and strings);
- Parquet (.parquet, .pq): data rows from 1 (Parquet has no header row), one row group batch at a time.
Nothing here validates a cell; convert.py does, from these arrays.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from trading_core.apex.journal import REQUIRED_COLUMNS
from trading_core.errors import TradingCoreError

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
COLUMNS = (*REQUIRED_COLUMNS, "fee")
CSV_BLOCK_BYTES = 1 << 20  # ~19k journal rows per batch; pyarrow reads a few dozen blocks ahead, so this bounds memory
PARQUET_BATCH_ROWS = 1 << 17
JSONL_BATCH_LINES = 1 << 15


@dataclass
class RawBatch:
    columns: dict[str, Any]  # column name -> pyarrow Array (only the journal's columns present in the file)
    numbers: Any  # numpy int64: each row's row or line number, as in messages
    unit: str  # "row" or "line"
    dicts: list[dict[str, object]] | None = None  # JSON Lines: the parsed objects, for exact messages
    bad_row: tuple[int, str] | None = None  # CSV: (row number, message) of a malformed row right after these

    def __len__(self) -> int:
        return len(self.numbers)


def journal_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TradingCoreError(
            f"{path}: unknown journal format {path.suffix or '(no extension)'!r}; expected .csv, .parquet or .jsonl"
        )
    return fmt


def raw_batches(path: Path) -> Iterator[RawBatch]:
    """The file's rows in batches; TradingCoreError for an unreadable file or a missing column."""
    reader = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}[journal_format(path)]
    try:
        yield from reader(path)
    except OSError as exc:
        raise TradingCoreError(f"{path}: cannot read journal ({exc.strerror or exc.__class__.__name__})") from None


def _missing(path: Path, names: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise TradingCoreError(
            f"{path}: row 1: {missing[0]}: missing column(s) {', '.join(missing)};"
            f" the file needs {', '.join(REQUIRED_COLUMNS)} (fee optional)"
        )


def _csv(path: Path) -> Iterator[RawBatch]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    with path.open("rb") as handle:  # the header alone, names stripped
        first = handle.readline()
    try:
        header = next(csv.reader([first.decode("utf-8-sig")]), None) if first.strip() else None
    except UnicodeDecodeError as exc:
        raise TradingCoreError(f"{path}: row 1: not UTF-8 text ({exc.reason})") from None
    if header is None:
        return
    names = [h.strip() for h in header]
    _missing(path, names)
    blank: list[int] = []  # physical rows pyarrow skipped as blank (whitespace only)
    bad: list[tuple[int, str]] = []

    def invalid(row: Any) -> str:  # a row with the wrong number of fields; `number` is its physical row
        if not row.text.replace(",", "").strip():
            blank.append(row.number)
        else:
            bad.append((row.number, f"expected {row.expected_columns} fields, got {row.actual_columns}"))
        return "skip"

    wanted = [c for c in COLUMNS if c in names]
    logical = 0  # rows pyarrow returned so far
    try:  # opening reads the first block already
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(
                use_threads=False, block_size=CSV_BLOCK_BYTES, skip_rows=1, column_names=names, encoding="utf8"
            ),
            parse_options=pcsv.ParseOptions(ignore_empty_lines=False, invalid_row_handler=invalid),
            convert_options=pcsv.ConvertOptions(
                include_columns=wanted,
                column_types=dict.fromkeys(wanted, pa.string()),
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _unreadable(path, exc, logical) from None
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:
            raise _unreadable(path, exc, logical) from None
        n = batch.num_rows
        numbers = _physical(np, np.arange(logical + 2, logical + 2 + n, dtype=np.int64), blank, bad)
        logical += n
        columns = {c: batch.column(c) for c in wanted}
        empty = columns[wanted[0]].is_null()
        for col in list(columns.values())[1:]:  # blank rows (every cell empty) are skipped, still counted
            empty = pc.and_(empty, col.is_null())
        if pc.any(empty).as_py():
            columns = {c: col.filter(pc.invert(empty)) for c, col in columns.items()}
            numbers = numbers[~empty.to_numpy(zero_copy_only=False)]
        first_bad = min(bad) if bad else None
        if first_bad is not None and len(numbers) and numbers[-1] > first_bad[0]:  # the malformed row is inside
            below = numbers < first_bad[0]
            columns = {c: col.filter(pa.array(below)) for c, col in columns.items()}
            yield RawBatch(columns, numbers[below], "row", bad_row=first_bad)
            return
        yield RawBatch(columns, numbers, "row")
    if bad:  # a malformed last row
        yield RawBatch({c: pa.array([], pa.string()) for c in wanted}, np.zeros(0, np.int64), "row", bad_row=min(bad))


def _unreadable(path: Path, exc: Exception, logical: int) -> TradingCoreError:
    """pyarrow's parse error as one line; for bad UTF-8 (pyarrow names no row) the row, found by rereading."""
    bad = _first_bad_utf8(path, logical + 2) if "UTF8" in str(exc) else None
    if bad is not None:
        return TradingCoreError(f"{path}: row {bad[0]}: not UTF-8 text ({bad[1]})")
    return TradingCoreError(f"{path}: cannot read CSV ({str(exc).splitlines()[0]})")


def _first_bad_utf8(path: Path, from_row: int) -> tuple[int, str] | None:
    """The first physical row from `from_row` on that is not UTF-8 (only on the error path: it rereads)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number >= from_row:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return number, exc.reason
    return None


def _physical(np: Any, logical: Any, blank: list[int], bad: list[tuple[int, str]]) -> Any:
    """Physical row numbers of pyarrow's rows, given the physical rows it skipped.

    With the skipped rows sorted as s_0 < s_1 < ..., the row after `k` skipped ones satisfies
    physical = logical + #{j : s_j - j <= logical} (each skipped row pushes the later ones down by one).
    """
    if not blank and not bad:
        return logical
    skipped = np.sort(np.array(blank + [b[0] for b in bad], np.int64))
    return logical + np.searchsorted(skipped - np.arange(skipped.size), logical, side="right")


def _jsonl(path: Path) -> Iterator[RawBatch]:
    import numpy as np
    import pyarrow as pa

    with path.open("rb") as handle:  # bytes, decoded line by line: a bad byte is named by its line
        dicts: list[dict[str, object]] = []
        numbers: list[int] = []
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise TradingCoreError(f"{path}: line {number}: not UTF-8 text ({exc.reason})") from None
            if not line.strip():
                continue
            try:
                cells = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise TradingCoreError(f"{path}: line {number}: malformed JSON ({exc.msg})") from None
            if not isinstance(cells, dict):
                raise TradingCoreError(f"{path}: line {number}: expected a JSON object per line")
            dicts.append(cells)
            numbers.append(number)
            if len(dicts) == JSONL_BATCH_LINES:
                yield _json_batch(dicts, numbers, np, pa)
                dicts, numbers = [], []
        if dicts:
            yield _json_batch(dicts, numbers, np, pa)


def _json_batch(dicts: list[dict[str, object]], numbers: list[int], np: Any, pa: Any) -> RawBatch:
    """Cells as text (exact: decimals were parsed as Decimal), so the CSV conversions apply unchanged."""
    columns = {
        c: pa.array([None if (v := d.get(c)) is None else v if isinstance(v, str) else str(v) for d in dicts])
        for c in COLUMNS
    }
    columns = {c: col if col.type == pa.string() else col.cast(pa.string()) for c, col in columns.items()}
    return RawBatch(columns, np.array(numbers, np.int64), "line", dicts=dicts)


def _parquet(path: Path) -> Iterator[RawBatch]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise TradingCoreError(f"{path}: cannot read Parquet ({str(exc).splitlines()[0]})") from None
    schema = file.schema_arrow
    _missing(path, schema.names)
    ts_type = schema.field("ts").type
    if pa.types.is_timestamp(ts_type) and ts_type.tz is None and file.metadata.num_rows:
        raise TradingCoreError(f"{path}: row 1: ts: naive timestamp column (no time zone); expected UTC or an offset")
    wanted = [c for c in COLUMNS if c in schema.names]
    done = 0
    try:
        for batch in file.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
            n = batch.num_rows
            yield RawBatch({c: batch.column(c) for c in wanted}, np.arange(done + 1, done + 1 + n), "row")
            done += n
    except (pa.ArrowException, OSError) as exc:
        raise TradingCoreError(f"{path}: cannot read Parquet ({str(exc).splitlines()[0]})") from None
