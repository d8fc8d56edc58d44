"""Read an account journal from CSV, Parquet or JSON Lines (by extension), streamed in chunks of events.

`journal_chunks(path, ...)` yields `Journal`s of about `chunk_events` events each, in file order, so a
journal of any size is checked in memory that does not grow with it; `read_journal` joins them into
one (for callers that want the whole journal). How rows are numbered in messages: sources.py (CSV
rows with the header as row 1, JSON Lines lines, Parquet data rows from 1). `Event.index` / a
violation's `event_index` is always the 0-based data row, whatever the format; payout rows count
as data rows too.

Order: a row earlier than the row before it is bad input, also across batch and chunk edges (the
last time is carried over). With `sort`, the rows are sorted by time instead (stable: equal times
keep file order), which needs the whole journal: sorting keeps it in memory as columns (about 60
bytes per row plus the sort's index), then hands it on in the same chunks. Bad input is one
`TradingCoreError` line: ``journal.csv: row 7: price: expected a positive price, got 0``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from trading_core.apex.convert import PAYOUT, Rows, SymbolTable, convert
from trading_core.apex.journal import Journal, Payout
from trading_core.apex.session import iso_utc
from trading_core.apex.sources import raw_batches
from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments

_COLUMNS = ("ts", "kind", "sym", "qty", "price", "fee")
CHUNK_EVENTS = 1 << 18  # events evaluated at once: tens of MB of columns, whatever the file size


def read_journal(path: Path | str, *, instruments: Instruments, sort: bool = False) -> Journal:
    """The whole journal as one `Journal` (memory grows with the file; `journal_chunks` does not)."""
    (journal,) = journal_chunks(path, instruments=instruments, sort=sort, chunk_events=None)
    return journal


def journal_chunks(
    path: Path | str, *, instruments: Instruments, sort: bool = False, chunk_events: int | None = CHUNK_EVENTS
) -> Iterator[Journal]:
    """Validated chunks in processing order; `chunk_events=None` makes one chunk of everything."""
    path = Path(path)
    table = SymbolTable(instruments)
    rows = _rows(path, table, check_order=not sort)
    if sort:
        rows = iter([_sorted(list(rows))])
    limit = chunk_events or 2**62
    pending: list[Rows] = []
    waiting = total = 0  # events in `pending`, events read
    for batch in rows:
        pending.append(batch)
        events = int((batch.kind != PAYOUT).sum())
        waiting, total = waiting + events, total + events
        while waiting >= limit:  # cut exactly at `limit` events, so chunks do not depend on batch sizes
            head, pending, waiting = _cut(pending, limit, waiting)
            yield _journal(path, table, head)
    if not total:
        raise TradingCoreError(f"{path}: empty journal: expected at least one event row")
    if any(len(b) for b in pending):
        yield _journal(path, table, pending)  # the rest; may be payout requests alone, after the last event


def _rows(path: Path, table: SymbolTable, *, check_order: bool) -> Iterator[Rows]:
    import numpy as np

    index = 0
    last: int | None = None  # time of the previous row, carried across batches
    for raw in raw_batches(path):
        batch = convert(raw, table, path, index)
        batch.row = np.arange(index, index + len(batch), dtype=np.int64)
        index += len(batch)
        if not len(batch):
            continue
        if check_order:
            _check_order(path, batch, last)
            last = int(batch.ts[-1])
        batch.numbers = None  # only messages need them, and every message about this batch is behind us
        yield batch


def _check_order(path: Path, batch: Rows, last: int | None) -> None:
    import numpy as np

    ts = batch.ts
    before = np.empty_like(ts)  # the time of the row before each row (the first one's own if none)
    before[1:] = ts[:-1]
    before[0] = ts[0] if last is None else last
    back = np.flatnonzero(ts < before)
    if back.size:
        k = int(back[0])
        raise TradingCoreError(
            f"{path}: {batch.unit} {int(batch.numbers[k])}: ts: {iso_utc(int(ts[k]))} is earlier than the row"
            f" before it ({iso_utc(int(before[k]))}); rows must be in time order (or pass --sort)"
        )


def _sorted(batches: list[Rows]) -> Rows:
    import numpy as np

    if not batches:
        return Rows(*([np.zeros(0, np.int64)] * 6), None, "row", np.zeros(0, np.int64))
    whole = _concat(batches)
    order = np.argsort(whole.ts, kind="stable")  # equal times keep file order
    for name in (*_COLUMNS, "row"):
        setattr(whole, name, getattr(whole, name)[order])
    return whole


def _concat(batches: list[Rows]) -> Rows:
    import numpy as np

    if len(batches) == 1:
        return batches[0]
    return Rows(*(np.concatenate([getattr(b, c) for b in batches]) for c in _COLUMNS), None, batches[0].unit,
                np.concatenate([b.row for b in batches]))  # fmt: skip


def _cut(pending: list[Rows], limit: int, waiting: int) -> tuple[list[Rows], list[Rows], int]:
    """The rows up to and including the `limit`-th event (and the payouts right after it), and the rest."""
    import numpy as np

    whole = _concat(pending)
    events = np.cumsum(whole.kind != PAYOUT)
    end = int(np.searchsorted(events, limit, side="left")) + 1
    while end < len(whole) and whole.kind[end] == PAYOUT:
        end += 1
    # a short rest (streaming: part of a batch) is copied, since a view would keep the whole concatenation
    # alive until the next cut; a long one (a sorted journal, held anyway) is not, or every cut would copy it
    rest = _slice(whole, end, len(whole), copy=len(whole) - end < end)
    return [_slice(whole, 0, end)], [rest], waiting - limit


def _slice(rows: Rows, a: int, b: int, *, copy: bool = False) -> Rows:
    part = [getattr(rows, c)[a:b] for c in (*_COLUMNS, "row")]
    if copy:
        part = [p.copy() for p in part]
    return Rows(*part[:-1], None, rows.unit, part[-1])


def _journal(path: Path, table: SymbolTable, batches: list[Rows]) -> Journal:
    import numpy as np

    rows = _concat(batches)
    event = rows.kind != PAYOUT
    payout_at = np.flatnonzero(~event)
    before = np.cumsum(event)[payout_at] if payout_at.size else payout_at
    payouts = tuple(
        Payout(int(r), int(t), int(b))
        for r, t, b in zip(rows.row[payout_at].tolist(), rows.ts[payout_at].tolist(), before.tolist(), strict=True)
    )
    if payout_at.size:
        rows = Rows(*(getattr(rows, c)[event] for c in _COLUMNS), None, rows.unit, rows.row[event])
    return Journal(
        source=str(path),
        symbols=tuple(table.roots),
        ts_us=rows.ts,
        is_fill=rows.kind == 1,
        sym=rows.sym,
        qty=rows.qty,
        price_ticks=rows.price,
        fee_units=rows.fee,
        row=rows.row,
        payouts=payouts,
    )
