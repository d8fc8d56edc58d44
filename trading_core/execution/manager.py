"""The order manager: one bracket per symbol at most, routed to a venue, with time stops and TTLs.

It owns the mapping order id -> bracket, applies the brackets' operations to the venue, and on every
tick of a symbol checks the clock: an entry past its time-to-live loses its unfilled rest, a bracket
past its time stop is closed at market. `flatten_all` / `cancel_all` serve the risk gate and the kill
switch. Closed brackets are handed to `on_closed` (trading-cost records) and forgotten, so memory
stays flat over any replay.
"""

from __future__ import annotations

from collections.abc import Callable

from trading_core.execution.bracket import Bracket, Op
from trading_core.execution.orders import Fill, OrderKind, Venue, WorkingOrder


class OrderManager:
    def __init__(self, venue: Venue, on_closed: Callable[[Bracket], None] | None = None) -> None:
        self.venue = venue
        self.brackets: dict[str, Bracket] = {}  # symbol -> its bracket
        self._by_order: dict[int, Bracket] = {}
        self._ids = 0
        self._on_closed = on_closed

    def next_id(self) -> int:
        self._ids += 1
        return self._ids

    def has_bracket(self, symbol: str) -> bool:
        return symbol in self.brackets

    def open_bracket(
        self,
        symbol: str,
        side: int,
        qty: int,
        kind: OrderKind,
        price: int | None,
        *,
        target_ticks: int,
        stop_ticks: int,
        ts_us: int,
        expires_us: int,
        entry_expires_us: int,
    ) -> Bracket:
        if symbol in self.brackets:
            raise ValueError(f"{symbol} already has a bracket")
        b = Bracket(
            self.next_id(),
            symbol,
            side,
            qty,
            kind,
            price,
            target_ticks=target_ticks,
            stop_ticks=stop_ticks,
            ts_us=ts_us,
            expires_us=expires_us,
            entry_expires_us=entry_expires_us,
            next_id=self.next_id,
        )
        self.brackets[symbol] = b
        self._apply(b, b.start())
        return b

    def on_fill(self, order: WorkingOrder, fill: Fill) -> None:
        b = self._by_order.get(order.id)
        if b is None:
            return
        self._apply(b, b.on_fill(order, fill))

    def on_clock(self, symbol: str, ts_us: int) -> None:
        """Time-to-live and time stop of `symbol`'s bracket."""
        b = self.brackets.get(symbol)
        if b is None:
            return
        if ts_us >= b.expires_us:
            self._apply(b, b.expire(ts_us))
        elif b.entry.active and ts_us >= b.entry_expires_us:
            self._apply(b, b.expire_entry())

    def flatten_all(self, ts_us: int) -> None:
        for b in list(self.brackets.values()):
            self._apply(b, b.expire(ts_us))

    def cancel_all(self) -> None:
        """Cancel resting entries; protective legs of open positions stay (flatten removes those)."""
        for b in list(self.brackets.values()):
            self._apply(b, b.expire_entry())

    def position(self, symbol: str) -> int:
        b = self.brackets.get(symbol)
        return 0 if b is None else b.open_qty

    def working_orders(self) -> list[WorkingOrder]:
        return [o for b in self.brackets.values() for o in b.orders()]

    def _apply(self, b: Bracket, ops: list[Op]) -> None:
        venue = self.venue
        for op in ops:
            name, order = op[0], op[1]
            if name == "submit":
                self._by_order[order.id] = b
                venue.submit(order)
            elif name == "cancel":
                venue.cancel(order)
            else:
                venue.amend(order, op[2], op[3])
        if b.done:
            self._close(b)

    def sweep(self) -> None:
        """Close brackets whose last order the venue finished (cancels and fills land asynchronously)."""
        for b in [b for b in self.brackets.values() if b.done]:
            self._close(b)

    def _close(self, b: Bracket) -> None:
        if self.brackets.get(b.symbol) is b:
            del self.brackets[b.symbol]
            for o in (b.entry, b.stop, b.target, b.exit):
                if o is not None:
                    self._by_order.pop(o.id, None)
            if self._on_closed is not None:
                self._on_closed(b)
