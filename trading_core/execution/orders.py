"""Working orders and fills, as the order manager and a venue (the simulator, or a broker) share them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

OrderKind = Literal["market", "limit", "stop"]
Purpose = Literal["entry", "stop", "target", "exit"]


@dataclass(slots=True)
class WorkingOrder:
    """One order. `qty` is signed (+ buy, - sell) and may be amended; `filled` counts contracts done."""

    id: int
    symbol: str
    kind: OrderKind
    qty: int
    price: int | None  # limit or stop price in ticks; None for market
    purpose: Purpose
    bracket_id: int
    ts_us: int
    filled: int = 0
    active: bool = True

    @property
    def remaining(self) -> int:
        """Signed contracts still to fill."""
        return self.qty - self.filled if self.active else 0


@dataclass(frozen=True, slots=True)
class Fill:
    order_id: int
    symbol: str
    qty: int  # signed
    price: int  # ticks
    ts_us: int
    fee_units: int
    ref_price: int  # the price the order aimed at (touch, limit or stop): slippage = distance from it


class Venue(Protocol):
    """Where orders go: the simulator here, a broker adapter in production."""

    def submit(self, order: WorkingOrder) -> None: ...

    def cancel(self, order: WorkingOrder) -> None: ...

    def amend(self, order: WorkingOrder, qty: int, price: int | None) -> None: ...
