"""One raw batch (pyarrow arrays) -> validated rows in exact units (numpy int64), vectorised.

The fast path converts whole columns with pyarrow casts and numpy checks: timestamps with an offset
to microseconds UTC, prices to decimals of 10^-9 (then integer ticks, refusing any off the grid),
fees to money units, quantities to integers. It accepts a batch only when every row is provably what
`journal.parse_row` would accept and yields the same integers; anything else (a bad cell, but also
an unusual spelling the casts do not read, such as `+1`, ` 5000` or 7 fraction digits) sends the
whole batch through `parse_row`, row by row. So the rules are written once, bad input gets
parse_row's exact message with its row number, and clean files never pay for Python per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from trading_core.apex.journal import Event, Payout, RowError, parse_row
from trading_core.apex.sources import RawBatch
from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments

MARK, FILL, PAYOUT = 0, 1, 2
_KIND_CODES = {"mark": MARK, "fill": FILL, "payout": PAYOUT}
PRICE_SCALE = 9  # prices are read as decimals of 10^-9: finer digits are rare, and go the slow way
FEE_SCALE = 4  # money units (market/money.py)
_INT64_SAFE = 2**62


class SymbolTable:
    """Roots in order of first appearance in the journal -> stable codes, with their integer facts."""

    def __init__(self, instruments: Instruments) -> None:
        self.instruments = instruments
        self.roots: list[str] = []
        self.codes: dict[str, int] = {}
        self.tick_scaled: list[int] = []  # tick size x 10^PRICE_SCALE (0: not an integer there)
        self.fee: list[int] = []  # default fee per contract and side, money units

    def code(self, root: str) -> int:
        found = self.codes.get(root)
        if found is None:
            found = self.codes[root] = len(self.roots)
            self.roots.append(root)
            tick = Fraction(self.instruments[root].tick_size) * 10**PRICE_SCALE
            self.tick_scaled.append(int(tick) if tick.denominator == 1 else 0)
            self.fee.append(self.instruments.fee_units(root))
        return found


@dataclass
class Rows:
    """Every data row of a batch in file order (events and payout requests), in exact units."""

    ts: Any  # int64 microseconds UTC
    kind: Any  # int8: MARK, FILL or PAYOUT
    sym: Any  # int64 code in the SymbolTable (0 for payouts)
    qty: Any  # int64, 0 for marks and payouts
    price: Any  # int64 ticks, 0 for payouts
    fee: Any  # int64 money units, 0 for marks and payouts
    numbers: Any  # row / line numbers as in messages
    unit: str
    row: Any = None  # int64 0-based data rows (set by the reader, which counts them across batches)

    def __len__(self) -> int:
        return len(self.ts)


def convert(batch: RawBatch, table: SymbolTable, path: Path, first_index: int) -> Rows:
    """Validate a batch; TradingCoreError names the file, the row (or line) and the column."""
    rows = _fast(batch, table) if len(batch) else None
    if rows is None:
        rows = _slow(batch, table, path, first_index)
    if batch.bad_row is not None:
        number, message = batch.bad_row
        raise TradingCoreError(f"{path}: row {number}: {message}")
    return rows


def _slow(batch: RawBatch, table: SymbolTable, path: Path, first_index: int) -> Rows:
    import numpy as np

    cells = batch.dicts
    if cells is None:
        cells = [dict(zip(batch.columns, values, strict=True)) for values in zip(*_pylists(batch), strict=True)]
    out: list[tuple[int, int, int, int, int, int]] = []
    for k, (raw, number) in enumerate(zip(cells, batch.numbers.tolist(), strict=True)):
        try:
            row = parse_row(raw, table.instruments, first_index + k)
            out.append(_integers(row, table))
        except RowError as exc:
            raise TradingCoreError(f"{path}: {batch.unit} {number}: {exc.column}: {exc}") from None
    columns = [np.array(c, np.int64) for c in zip(*out, strict=True)] if out else [np.zeros(0, np.int64)] * 6
    ts, kind, sym, qty, price, fee = columns
    return Rows(ts, kind.astype(np.int8), sym, qty, price, fee, batch.numbers, batch.unit)


def _pylists(batch: RawBatch) -> list[list[object]]:
    return [col.to_pylist() for col in batch.columns.values()]


def _integers(row: Event | Payout, table: SymbolTable) -> tuple[int, int, int, int, int, int]:
    if isinstance(row, Payout):
        return (row.ts_us, PAYOUT, 0, 0, 0, 0)
    for column, value in (("price", row.price_ticks), ("qty", row.qty), ("fee", row.fee_units)):
        if abs(value) >= _INT64_SAFE:  # numpy columns are int64: refuse rather than wrap
            raise RowError(column, f"{value} is too large for exact 64-bit arithmetic")
    kind = FILL if row.is_fill else MARK
    return (row.ts_us, kind, table.code(row.symbol), row.qty, row.price_ticks, row.fee_units)


def _fast(batch: RawBatch, table: SymbolTable) -> Rows | None:
    import numpy as np

    from trading_core.apex import arrow_cells as cells

    cols = batch.columns
    kind = cells.codes(cols["kind"], _KIND_CODES)
    ts = cells.timestamps(cols["ts"])
    if kind is None or ts is None:
        return None
    event = kind != PAYOUT
    sym = cells.symbols(cols["symbol"], event, table)
    price = cells.scaled(cols["price"], PRICE_SCALE)
    if sym is None or price is None or (price[1] is not None and bool(np.any(price[1] & event))):
        return None
    tick = np.array(table.tick_scaled or [1], np.int64)[sym]  # `or`: a batch of payout requests alone
    units = np.where(event, price[0], 1)
    tick = np.where(event, tick, 1)
    if np.any(tick == 0) or np.any(units <= 0) or np.any(units % tick):
        return None  # off the grid, not positive, or a tick finer than 10^-9: parse_row says which
    fill = kind == FILL
    qty = _fill_qty(cols["qty"], fill, cells)
    if qty is None:
        return None
    default_fee = np.abs(qty) * np.array(table.fee or [0], np.int64)[sym]
    fee = default_fee if "fee" not in cols else cells.fees(cols["fee"], fill, default_fee, FEE_SCALE)
    if fee is None:
        return None
    return Rows(ts, kind, sym, qty, np.where(event, units // tick, 0), fee, batch.numbers, batch.unit)


def _fill_qty(column: Any, fill: Any, cells: Any) -> Any:
    """Signed whole contracts on fills (non-zero), 0 elsewhere; None when any fill's qty is not one."""
    import numpy as np

    found = cells.integers(column)
    if found is None:
        return None
    values, nulls = found
    if nulls is not None and bool(np.any(nulls & fill)):
        return None
    qty = np.where(fill, values, 0)
    if np.any((qty == 0) & fill):
        return None
    return qty
