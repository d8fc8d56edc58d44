"""Read an account journal from CSV, Parquet or JSON Lines (chosen by the file extension).

Bad input is one `TradingCoreError` line: ``journal.csv: row 7: price: expected a positive price, got 0``.
How rows are counted in those messages:
- CSV (.csv): physical rows, the header is row 1, so the first event is row 2;
- JSON Lines (.jsonl, .ndjson): physical lines, the first line is line 1 (blank lines are skipped but
  still counted);
- Parquet (.parquet, .pq): data rows, the first event is row 1 (Parquet has no header row).
`Event.index` / a violation's `event_index` is always the 0-based data row, whatever the format.
pyarrow is imported only to read Parquet.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

from trading_core.apex.journal import REQUIRED_COLUMNS, Event, Journal, RowError, parse_row
from trading_core.apex.session import iso_utc
from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments

_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}

Rows = Iterator[tuple[str, Mapping[str, object]]]  # (row label for messages, cells)


def read_journal(path: Path | str, *, instruments: Instruments, sort: bool = False) -> Journal:
    """Read and validate a journal. Rows must be in time order unless `sort` (stable sort by ts)."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TradingCoreError(
            f"{path}: unknown journal format {path.suffix or '(no extension)'!r}; expected .csv, .parquet or .jsonl"
        )
    reader: Callable[[Path], Rows] = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}[fmt]
    events: list[Event] = []
    labels: list[str] = []
    try:
        for label, cells in reader(path):
            try:
                events.append(parse_row(cells, instruments, len(events)))
            except RowError as exc:
                raise TradingCoreError(f"{path}: {label}: {exc.column}: {exc}") from None
            labels.append(label)
    except OSError as exc:
        raise TradingCoreError(f"{path}: cannot read journal ({exc.strerror or exc.__class__.__name__})") from None
    if not events:
        raise TradingCoreError(f"{path}: empty journal: expected at least one event row")
    if sort:
        events.sort(key=lambda e: e.ts_us)  # stable: equal times keep file order
    else:
        for k in range(1, len(events)):
            if events[k].ts_us < events[k - 1].ts_us:
                raise TradingCoreError(
                    f"{path}: {labels[k]}: ts: {iso_utc(events[k].ts_us)} is earlier than the row before it"
                    f" ({iso_utc(events[k - 1].ts_us)}); rows must be in time order (or pass --sort)"
                )
    return Journal.from_events(events, source=str(path))


def _csv_rows(path: Path) -> Rows:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise TradingCoreError(
                f"{path}: row 1: {missing[0]}: missing column(s) {', '.join(missing)};"
                f" the header needs {', '.join(REQUIRED_COLUMNS)} (fee optional)"
            )
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                raise TradingCoreError(f"{path}: row {number}: expected {len(names)} fields, got {len(values)}")
            yield f"row {number}", dict(zip(names, values, strict=True))


def _jsonl_rows(path: Path) -> Rows:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                cells = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                raise TradingCoreError(f"{path}: line {number}: malformed JSON ({exc.msg})") from None
            if not isinstance(cells, dict):
                raise TradingCoreError(f"{path}: line {number}: expected a JSON object per line")
            yield f"line {number}", cells


def _parquet_rows(path: Path) -> Rows:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise TradingCoreError(f"{path}: cannot read Parquet ({str(exc).splitlines()[0]})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
    if missing:
        raise TradingCoreError(
            f"{path}: row 1: {missing[0]}: missing column(s) {', '.join(missing)};"
            f" the file needs {', '.join(REQUIRED_COLUMNS)} (fee optional)"
        )
    ts_type = table.schema.field("ts").type
    if pa.types.is_timestamp(ts_type) and ts_type.tz is None and table.num_rows:
        raise TradingCoreError(f"{path}: row 1: ts: naive timestamp column (no time zone); expected UTC or an offset")
    wanted = [c for c in (*REQUIRED_COLUMNS, "fee") if c in table.column_names]
    for number, cells in enumerate(table.select(wanted).to_pylist(), start=1):
        yield f"row {number}", cells
