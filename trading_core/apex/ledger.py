"""The event-by-event ledger: positions, average prices, realized and unrealized P&L, fees, equity.

Exact by construction: prices are integer ticks and a tick is a whole number of money units, so a
symbol's mark-to-market P&L is `tick value x (position x last price - cash)` with cash the signed sum
of `qty x price` over its fills: integer arithmetic, the same formula the vectorised frame uses, so
both compute the same equity to the unit. Average price and the realized / unrealized split (average
cost method) are kept as exact fractions of a tick; realized + unrealized always equals that P&L.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from trading_core.apex.journal import Event
from trading_core.apex.spec import ApexSpec


class Book:
    """One symbol's position."""

    __slots__ = ("basis", "cash", "fees", "last", "pnl", "qty", "realized", "tick_value", "weight")

    def __init__(self, tick_value: int, weight: int) -> None:
        self.tick_value = tick_value
        self.weight = weight  # x spec.weight_scale
        self.qty = 0
        self.cash = 0  # sum of qty x price ticks over fills
        self.last = 0  # last fill or mark price, ticks
        self.pnl = 0  # mark-to-market P&L, money units
        self.fees = 0
        self.basis = Fraction(0)  # cost of the open position, ticks (average cost)
        self.realized = Fraction(0)  # ticks x contracts

    def fill(self, qty: int, price: int) -> None:
        held = self.qty
        if held == 0 or (held > 0) == (qty > 0):
            self.basis += qty * price
        else:
            closing = min(abs(qty), abs(held))
            avg = self.basis / held
            sign = 1 if held > 0 else -1
            self.realized += (price - avg) * closing * sign
            self.basis -= avg * closing * sign
            rest = qty + closing * sign  # what is left of the fill after closing
            if rest:
                self.basis = Fraction(rest * price)
        self.qty = held + qty
        self.cash += qty * price


class Ledger:
    """Replays fills and marks; `apply` returns the event symbol's position before the event."""

    def __init__(self, spec: ApexSpec) -> None:
        self.spec = spec
        self.instruments = spec.policy.instruments
        self.books: dict[str, Book] = {}
        self.positions: dict[str, int] = {}  # open positions only
        self.fees = 0
        self.pnl = 0
        self.equity = spec.start
        self.peak = spec.start
        self.exposure = 0  # weighted contracts x spec.weight_scale
        self._long: dict[str, int] = {}  # correlation group -> long contracts
        self._short: dict[str, int] = {}

    def book(self, symbol: str) -> Book:
        b = self.books.get(symbol)
        if b is None:
            b = self.books[symbol] = Book(self.instruments.tick_value_units(symbol), self.spec.weights[symbol])
        return b

    def apply(self, e: Event) -> int:
        b = self.book(e.symbol)
        before = b.qty
        if e.kind == "fill":
            b.fill(e.qty, e.price_ticks)
            b.fees += e.fee_units
            self.fees += e.fee_units
        b.last = e.price_ticks
        pnl = b.tick_value * (b.qty * b.last - b.cash)
        self.pnl += pnl - b.pnl
        b.pnl = pnl
        self.equity = self.spec.start + self.pnl - self.fees
        if self.equity > self.peak:
            self.peak = self.equity
        after = b.qty
        if after != before:
            self.exposure += (abs(after) - abs(before)) * b.weight
            group = self.instruments.group_of[e.symbol]
            self._long[group] = self._long.get(group, 0) + max(after, 0) - max(before, 0)
            self._short[group] = self._short.get(group, 0) + max(-after, 0) - max(-before, 0)
            if after:
                self.positions[e.symbol] = after
            else:
                self.positions.pop(e.symbol, None)
        return before

    def position(self, symbol: str) -> int:
        return self.positions.get(symbol, 0)

    def opposite(self, symbol: str, position: int) -> int:
        """Contracts held against `position` in `symbol`'s correlation group."""
        group = self.instruments.group_of[symbol]
        if position > 0:
            return self._short.get(group, 0)
        if position < 0:
            return self._long.get(group, 0)
        return 0

    def average_price(self, symbol: str) -> Decimal | None:
        b = self.books.get(symbol)
        if b is None or b.qty == 0:
            return None
        avg = b.basis / b.qty * Fraction(self.instruments[symbol].tick_size)
        return Decimal(avg.numerator) / Decimal(avg.denominator)

    def realized_units(self, symbol: str) -> Fraction:
        """Realized P&L of `symbol` before fees, in money units."""
        b = self.books.get(symbol)
        return Fraction(0) if b is None else b.realized * b.tick_value

    def unrealized_units(self, symbol: str) -> Fraction:
        b = self.books.get(symbol)
        return Fraction(0) if b is None else (b.qty * b.last - b.basis) * b.tick_value
