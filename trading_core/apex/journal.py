"""The account journal: validated events in exact units, as columns (for `evaluate`) or one by one.

A journal row becomes: time in int microseconds UTC, kind (fill or mark), instrument root, signed
whole contracts, price in integer ticks of the instrument, fee in money units (1/10,000 of the
currency). A `payout` row is a payout request (docs/journal.md): only its time counts, it moves no
money, and it is kept apart from the events (`Journal.payouts`). Row validation lives here and is
shared by every file reader (the vectorised readers fall back to it for any batch they cannot prove
clean) and by `make_event`, so a live event and a file row obey the same rules. Timestamps keep
microsecond precision (finer digits are dropped by the ISO parser).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from trading_core.apex.session import iso_utc, to_us
from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments
from trading_core.market.money import parse_decimal, to_units

if TYPE_CHECKING:
    import numpy as np

REQUIRED_COLUMNS = ("ts", "kind", "symbol", "qty", "price")
OPTIONAL_COLUMNS = ("fee",)
KINDS = ("fill", "mark", "payout")


class RowError(ValueError):
    """One bad cell: the reader adds file and row."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Payout:
    """A payout request: its 0-based data row, its time, and how many events of the journal precede it."""

    index: int
    ts_us: int
    before: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    """One journal event in exact units. `index` is its 0-based data row in the source."""

    index: int
    ts_us: int
    kind: Literal["fill", "mark"]
    symbol: str
    qty: int  # 0 for marks
    price_ticks: int
    fee_units: int  # 0 for marks

    @property
    def is_fill(self) -> bool:
        return self.kind == "fill"

    @property
    def ts(self) -> str:
        return iso_utc(self.ts_us)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_ts(value: object) -> int:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise RowError("ts", f"unparsable timestamp {value!r}; expected ISO-8601 with an offset") from None
    else:
        raise RowError("ts", f"expected an ISO-8601 timestamp with an offset, got {value!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RowError("ts", f"naive timestamp {value!s}; expected an offset like -04:00 or Z")
    return to_us(moment)


def _number(column: str, value: object) -> Decimal:
    if _blank(value):
        raise RowError(column, "missing value")
    try:
        return parse_decimal(value)
    except ValueError as exc:
        raise RowError(column, str(exc)) from None


def parse_row(raw: Mapping[str, object], instruments: Instruments, index: int) -> Event | Payout:
    """Validate one row (column name -> cell) into an Event or a Payout; RowError names the bad column."""
    for column in ("ts", "kind"):
        if column not in raw:
            raise RowError(column, "missing column")
    kind = str(raw.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise RowError("kind", f"expected 'fill', 'mark' or 'payout', got {raw.get('kind')!r}")
    ts_us = parse_ts(raw.get("ts"))
    if kind == "payout":
        return Payout(index, ts_us)  # a request: symbol, qty, price and fee are not read
    for column in ("symbol", "price"):
        if column not in raw:
            raise RowError(column, "missing column")
    symbol = str(raw.get("symbol") or "").strip()
    if symbol not in instruments:
        known = ", ".join(instruments.roots)
        raise RowError("symbol", f"unknown instrument {symbol!r} (instruments.yaml defines: {known})")
    price = _number("price", raw.get("price"))
    if price <= 0:
        raise RowError("price", f"expected a positive price, got {price}")
    try:
        ticks = instruments.price_to_ticks(symbol, price)
    except ValueError as exc:
        raise RowError("price", str(exc)) from None
    if kind == "mark":
        return Event(index, ts_us, "mark", symbol, 0, ticks, 0)
    if "qty" not in raw:
        raise RowError("qty", "missing column (fills need a signed quantity)")
    qty_dec = _number("qty", raw.get("qty"))
    if qty_dec != qty_dec.to_integral_value():
        raise RowError("qty", f"fractional contracts ({qty_dec}); expected a signed whole number")
    qty = int(qty_dec)
    if qty == 0:
        raise RowError("qty", "a fill needs a non-zero number of contracts (+ buys, - sells)")
    fee_raw = raw.get("fee")
    if _blank(fee_raw):
        fee = abs(qty) * instruments.fee_units(symbol)
    else:
        fee_dec = _number("fee", fee_raw)
        if fee_dec < 0:
            raise RowError("fee", f"expected a non-negative fee, got {fee_dec}")
        try:
            fee = to_units(fee_dec)
        except ValueError as exc:
            raise RowError("fee", str(exc)) from None
    return Event(index, ts_us, "fill", symbol, qty, ticks, fee)


def make_event(
    instruments: Instruments,
    *,
    ts: str | dt.datetime,
    kind: str,
    symbol: str,
    price: object,
    qty: object = 0,
    fee: object = None,
    index: int = 0,
) -> Event:
    """Build one validated Event for the live path; TradingCoreError names the column."""
    try:
        event = parse_row(
            {"ts": ts, "kind": kind, "symbol": symbol, "qty": qty, "price": price, "fee": fee}, instruments, index
        )
    except RowError as exc:
        raise TradingCoreError(f"event: {exc.column}: {exc}") from None
    if isinstance(event, Payout):
        raise TradingCoreError("event: kind: a payout request is a journal row, not a live event")
    return event


@dataclass(frozen=True)
class Journal:
    """Validated events in processing order, as numpy columns (one chunk of a streamed journal, or all of it)."""

    source: str
    symbols: tuple[str, ...]  # roots present, in order of first appearance
    ts_us: np.ndarray  # int64, non-decreasing
    is_fill: np.ndarray  # bool
    sym: np.ndarray  # int64 index into `symbols`
    qty: np.ndarray  # int64, 0 for marks
    price_ticks: np.ndarray  # int64
    fee_units: np.ndarray  # int64
    row: np.ndarray  # int64: 0-based data row in the source (differs from position after --sort)
    payouts: tuple[Payout, ...] = ()  # payout requests; `before` counts this journal's events before each

    def __len__(self) -> int:
        return len(self.ts_us)

    def events(self) -> Iterator[Event]:
        syms = self.symbols
        cols = zip(
            self.row.tolist(),
            self.ts_us.tolist(),
            self.is_fill.tolist(),
            self.sym.tolist(),
            self.qty.tolist(),
            self.price_ticks.tolist(),
            self.fee_units.tolist(),
            strict=True,
        )
        for row, ts, fill, s, qty, price, fee in cols:
            yield Event(row, ts, "fill" if fill else "mark", syms[s], qty, price, fee)

    @classmethod
    def from_events(cls, events: list[Event], *, source: str = "<events>", payouts: tuple[Payout, ...] = ()) -> Journal:
        """Columns from validated events (already in processing order); `payouts` carry their `before`."""
        import numpy as np

        if not events:
            raise TradingCoreError(f"{source}: empty journal: expected at least one event")
        symbols = tuple(dict.fromkeys(e.symbol for e in events))
        code = {s: k for k, s in enumerate(symbols)}

        def col(values: Iterator[object], dtype: type) -> np.ndarray:
            return np.fromiter(values, dtype=dtype, count=len(events))

        return cls(
            source=source,
            symbols=symbols,
            ts_us=col((e.ts_us for e in events), np.int64),
            is_fill=col((e.kind == "fill" for e in events), np.bool_),
            sym=col((code[e.symbol] for e in events), np.int64),
            qty=col((e.qty for e in events), np.int64),
            price_ticks=col((e.price_ticks for e in events), np.int64),
            fee_units=col((e.fee_units for e in events), np.int64),
            row=col((e.index for e in events), np.int64),
            payouts=payouts,
        )
