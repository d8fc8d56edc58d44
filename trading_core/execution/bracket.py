"""A bracket: an entry with a protective stop and a profit target that follow what was really filled.

- Partial-fill aware: the stop and target always cover exactly the open position (entry filled minus
  exits filled) and sit at a fixed distance from the weighted average entry price, re-priced after
  every entry fill. Stop and target exist from the first contract filled: no unprotected position.
- Rounding never breaks the stop/target ratio: the stop is rounded toward the entry (a tighter stop),
  the target away from it, so stop distance / target distance <= stop_ticks / target_ticks.
- OCO: the stop and the target are one-cancels-other; a fill of either shrinks the other, the last
  contract out cancels it. The first exit fill also cancels what is left of the entry.
- Time stop: `expire(ts)` cancels everything and exits the open position with a market order; the
  manager calls it at `expires_us` (entry + max hold, capped by the day's flatten time) or on flatten.
Operations are returned as tuples for the manager to send to the venue:
("submit", order), ("cancel", order), ("amend", order, qty, price).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from trading_core.execution.orders import Fill, OrderKind, Purpose, WorkingOrder

Op = tuple[Any, ...]


class Bracket:
    def __init__(
        self,
        bracket_id: int,
        symbol: str,
        side: int,
        qty: int,
        entry_kind: OrderKind,
        entry_price: int | None,
        *,
        target_ticks: int,
        stop_ticks: int,
        ts_us: int,
        expires_us: int,
        entry_expires_us: int,
        next_id: Callable[[], int],
    ) -> None:
        if side not in (1, -1) or qty <= 0:
            raise ValueError("a bracket needs side +1/-1 and a positive quantity")
        self.id = bracket_id
        self.symbol = symbol
        self.side = side
        self.target_ticks = target_ticks
        self.stop_ticks = stop_ticks
        self.expires_us = expires_us
        self.entry_expires_us = entry_expires_us
        self.opened_us = ts_us
        self._next_id = next_id
        self.entry = self._order(entry_kind, side * qty, entry_price, "entry", ts_us)
        self.stop: WorkingOrder | None = None
        self.target: WorkingOrder | None = None
        self.exit: WorkingOrder | None = None
        self.entry_filled = 0  # contracts, unsigned
        self.exit_filled = 0
        self.avg_entry = 0.0  # ticks, weighted by fill size
        self.fills: list[Fill] = []

    def _order(self, kind: OrderKind, qty: int, price: int | None, purpose: Purpose, ts: int) -> WorkingOrder:
        return WorkingOrder(self._next_id(), self.symbol, kind, qty, price, purpose, self.id, ts)

    @property
    def open_qty(self) -> int:
        """Signed position this bracket holds."""
        return self.side * (self.entry_filled - self.exit_filled)

    @property
    def done(self) -> bool:
        working = [o for o in (self.entry, self.stop, self.target, self.exit) if o is not None and o.active]
        return not working and self.open_qty == 0

    def orders(self) -> list[WorkingOrder]:
        return [o for o in (self.entry, self.stop, self.target, self.exit) if o is not None and o.active]

    def stop_price(self) -> int:
        if self.side > 0:
            return math.ceil(self.avg_entry - self.stop_ticks)
        return math.floor(self.avg_entry + self.stop_ticks)

    def target_price(self) -> int:
        if self.side > 0:
            return math.ceil(self.avg_entry + self.target_ticks)
        return math.floor(self.avg_entry - self.target_ticks)

    def start(self) -> list[Op]:
        return [("submit", self.entry)]

    def on_fill(self, order: WorkingOrder, fill: Fill) -> list[Op]:
        """Book a fill of one of this bracket's orders (the venue already advanced order.filled)."""
        self.fills.append(fill)
        size = abs(fill.qty)
        if order is self.entry:
            return self._on_entry(size, fill)
        self.exit_filled += size
        ops: list[Op] = []
        if self.entry.active:  # never add to a position that is already being closed
            ops.append(("cancel", self.entry))
        left = self.entry_filled - self.exit_filled
        for other in (self.stop, self.target):
            if other is None or other is order or not other.active:
                continue
            if left == 0:
                ops.append(("cancel", other))  # OCO: the last contract out cancels the other leg
            else:
                ops.append(("amend", other, -self.side * left + other.filled, other.price))
        return ops

    def _on_entry(self, size: int, fill: Fill) -> list[Op]:
        total = self.entry_filled + size
        self.avg_entry = (self.avg_entry * self.entry_filled + fill.price * size) / total
        self.entry_filled = total
        left = total - self.exit_filled
        qty = -self.side * left
        if self.stop is None or self.target is None:
            self.stop = self._order("stop", qty, self.stop_price(), "stop", fill.ts_us)
            self.target = self._order("limit", qty, self.target_price(), "target", fill.ts_us)
            return [("submit", self.stop), ("submit", self.target)]
        return [
            ("amend", self.stop, qty + self.stop.filled, self.stop_price()),
            ("amend", self.target, qty + self.target.filled, self.target_price()),
        ]

    def expire_entry(self) -> list[Op]:
        """Entry time-to-live is over: cancel the unfilled rest (the filled part stays bracketed)."""
        return [("cancel", self.entry)] if self.entry.active else []

    def expire(self, ts_us: int) -> list[Op]:
        """Time stop / flatten: cancel every working order, exit the open position at market."""
        ops: list[Op] = [("cancel", o) for o in (self.entry, self.stop, self.target) if o is not None and o.active]
        left = self.open_qty
        if left and (self.exit is None or not self.exit.active):
            self.exit = self._order("market", -left, None, "exit", ts_us)
            ops.append(("submit", self.exit))
        return ops
