"""Bars streamed from CSV or Parquet, batch by batch, as numpy arrays: memory stays flat for any size.

A file is read with pyarrow (CSV blocks, Parquet row groups); each batch becomes one `BarBatch` per
symbol it holds, with the data-row numbers of its bars so a finding can name the row (and, in a CSV,
the line: header on line 1, so row r is line r + 2). Bad input is one line naming file, line or row
and column: a missing column, a timestamp without an offset, a price that is not a number, an
unreadable Parquet file. Empty cells and NaN in value columns are not bad input: they are NaN, which
DATA008 reports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.errors import DroidError
from droids.data_pipeline.bars.schema import COLUMNS, VALUE_COLUMNS

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_HIVE_SYMBOL = re.compile(r"(?:^|/)symbol=([^/]+)/")


@dataclass
class BarBatch:
    symbol: str
    ts: np.ndarray  # int64 ns since the epoch, UTC
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    rows: np.ndarray  # int64 data-row number (0-based) of each bar in its file

    def __len__(self) -> int:
        return len(self.ts)


@dataclass(frozen=True)
class BarFile:
    """One file to read: `display` names it in messages; `data` holds its bytes when it is not read
    from disk (a staged blob); `symbol` is set for catalog partitions (symbol in the path)."""

    display: str
    path: Path | None = None
    data: bytes | None = None

    @property
    def kind(self) -> str:
        return "parquet" if self.display.endswith(".parquet") else "csv"

    @property
    def symbol(self) -> str | None:
        m = _HIVE_SYMBOL.search(self.display)
        return m.group(1) if m else None

    def where(self, row: int) -> tuple[int | None, str]:
        """(line for a finding, words for a message) of 0-based data row `row`."""
        if self.kind == "csv":
            return row + 2, f"line {row + 2}"
        return None, f"row {row + 1}"

    def source(self) -> object:
        import pyarrow as pa

        return pa.BufferReader(self.data) if self.data is not None else str(self.path)


def ts_bounds(f: BarFile) -> tuple[int, int] | None:
    """First and last `ts` of a Parquet file from its row-group statistics (None: unknown, or a CSV),
    so the calendar for the whole file is built once before the first batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if f.kind != "parquet":
        return None
    try:
        meta = pq.ParquetFile(f.source()).metadata
        col = meta.schema.to_arrow_schema().get_field_index("ts")
        stats = [meta.row_group(i).column(col).statistics for i in range(meta.num_row_groups)]
    except (pa.ArrowException, OSError, ValueError):
        return None  # the reader names the problem
    if col < 0 or not stats or any(s is None or not s.has_min_max for s in stats):
        return None
    lo, hi = min(s.min for s in stats), max(s.max for s in stats)
    if not (isinstance(lo, datetime) and isinstance(hi, datetime)):
        return None
    return _epoch_ns(lo), _epoch_ns(hi)


def _epoch_ns(moment: datetime) -> int:
    from datetime import UTC

    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int(aware.timestamp()) * 1_000_000_000


def read_batches(f: BarFile, batch_rows: int) -> Iterator[BarBatch]:
    """Every bar of `f`, batch by batch, one `BarBatch` per symbol of each batch."""
    reader = _parquet_batches(f, batch_rows) if f.kind == "parquet" else _csv_batches(f)
    row0 = 0
    for batch in reader:
        yield from _split(f, batch, row0)
        row0 += batch.num_rows


def _parquet_batches(f: BarFile, batch_rows: int) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(f.source())
    except (pa.ArrowException, OSError) as exc:
        raise DroidError(f"{f.display}: not a readable Parquet file ({_first_line(exc)})") from None
    wanted = [c for c in COLUMNS if not (c == "symbol" and f.symbol)]
    schema = pf.schema_arrow
    missing = [c for c in wanted if c not in schema.names]
    if missing:
        raise DroidError(f"{f.display}: missing column(s) {', '.join(missing)}: expected {', '.join(wanted)}")
    ts_type = schema.field("ts").type
    if not pa.types.is_timestamp(ts_type) or ts_type.tz is None:
        raise DroidError(f"{f.display}: column ts: expected a timestamp with a time zone (got {ts_type})")
    for c in VALUE_COLUMNS:
        t = schema.field(c).type
        if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)):
            raise DroidError(f"{f.display}: column {c}: expected numbers (got {t})")
    try:
        yield from pf.iter_batches(batch_size=batch_rows, columns=wanted)
    except (pa.ArrowException, OSError) as exc:
        raise DroidError(f"{f.display}: corrupt Parquet data ({_first_line(exc)})") from None


def _csv_batches(f: BarFile) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    header = _csv_header(f)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DroidError(f"{f.display}:1: missing column(s) {', '.join(missing)}: expected {', '.join(COLUMNS)}")
    types = {"ts": pa.timestamp("ns", tz="UTC"), "symbol": pa.string()} | dict.fromkeys(VALUE_COLUMNS, pa.float64())
    convert = pcsv.ConvertOptions(column_types=types, include_columns=list(COLUMNS))
    read = pcsv.ReadOptions(block_size=4 << 20)
    parse = pcsv.ParseOptions(newlines_in_values=False)
    done = 0
    try:
        reader = pcsv.open_csv(f.source(), read_options=read, parse_options=parse, convert_options=convert)
        for batch in reader:
            yield batch
            done += batch.num_rows
    except pa.ArrowInvalid as exc:
        raise DroidError(_locate_bad_row(f, header, done) or f"{f.display}: {_first_line(exc)}") from None


def _csv_header(f: BarFile) -> list[str]:
    try:
        if f.data is not None:
            first = f.data.split(b"\n", 1)[0].decode("utf-8-sig")
        else:
            with Path(f.path or f.display).open(encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{f.display}: cannot read ({exc.__class__.__name__})") from None
    return [h.strip() for h in next(csv.reader([first]), [])]


def _locate_bad_row(f: BarFile, header: list[str], start: int) -> str | None:
    """The first bad cell at or after data row `start`, found with Python's own parsers (slow path,
    only after pyarrow refused a block): 'file:line N: column: what was expected'."""
    text = f.data.decode("utf-8-sig", "replace") if f.data is not None else None
    with (
        io.StringIO(text)
        if text is not None
        else Path(f.path or f.display).open(encoding="utf-8-sig", newline="") as fh
    ):
        reader = csv.reader(fh)
        next(reader, None)
        index = {name: i for i, name in enumerate(header)}
        for row, cells in enumerate(reader):
            if row < start:
                continue
            line = row + 2
            if len(cells) != len(header):
                return f"{f.display}:{line}: expected {len(header)} columns, got {len(cells)}"
            problem = _bad_cell(cells, index)
            if problem:
                return f"{f.display}:{line}: {problem}"
    return None


def _bad_cell(cells: list[str], index: dict[str, int]) -> str | None:
    ts = cells[index["ts"]].strip()
    try:
        parsed = datetime.fromisoformat(ts)
    except ValueError:
        return f"ts {ts!r}: expected ISO 8601 with an offset, e.g. 2026-03-09T14:30:00Z"
    if parsed.tzinfo is None:
        return f"ts {ts!r}: no UTC offset: expected e.g. 2026-03-09T14:30:00Z or +00:00"
    for c in VALUE_COLUMNS:
        cell = cells[index[c]].strip()
        if cell in ("", "NaN", "nan", "NULL", "null", "N/A", "NA", "#N/A", "-nan", "-NaN"):
            continue
        try:
            float(cell)
        except ValueError:
            return f"{c} {cell!r}: expected a number"
    return None


def _split(f: BarFile, batch: pa.RecordBatch, row0: int) -> Iterator[BarBatch]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = batch.num_rows
    if n == 0:
        return
    ts_col = batch.column("ts")
    if ts_col.null_count:
        first = int(np.flatnonzero(ts_col.is_null().to_numpy(zero_copy_only=False))[0])
        raise DroidError(f"{f.display}: {f.where(row0 + first)[1]}: ts is empty: expected ISO 8601 with an offset")
    ts = ts_col.cast(pa.timestamp("ns", tz="UTC")).cast(pa.int64()).to_numpy()
    values = {}
    for c in VALUE_COLUMNS:
        col = batch.column(c)
        if not pa.types.is_float64(col.type):
            col = col.cast(pa.float64())
        if col.null_count:
            col = pc.fill_null(col, float("nan"))
        values[c] = col.to_numpy(zero_copy_only=False)
    rows = np.arange(row0, row0 + n, dtype=np.int64)
    if f.symbol is not None:
        yield BarBatch(f.symbol, ts, rows=rows, **values)
        return
    sym = batch.column("symbol")
    if sym.null_count:
        first = int(np.flatnonzero(sym.is_null().to_numpy(zero_copy_only=False))[0])
        raise DroidError(f"{f.display}: {f.where(row0 + first)[1]}: symbol is empty")
    coded = pc.dictionary_encode(sym)
    names = coded.dictionary.to_pylist()
    if len(names) == 1:
        yield BarBatch(str(names[0]).strip(), ts, rows=rows, **values)
        return
    codes = coded.indices.to_numpy()
    for k, name in enumerate(names):
        idx = np.flatnonzero(codes == k)
        yield BarBatch(str(name).strip(), ts[idx], rows=rows[idx], **{c: v[idx] for c, v in values.items()})


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
