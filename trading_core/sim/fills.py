"""The simulated venue: queue-free limit fills at the touch, market and stop fills with slippage.

Resting orders are matched against each new quote of their symbol:
- a buy limit at P fills when the ask comes down to P (up to the ask size), or when a sell trade
  hits a bid at P (up to the trade size); sells mirror this. Queue-free: we are first at our price.
  Fills are at the limit price. Size caps make partial fills happen naturally.
- a stop triggers when the bid (sell stop) or the ask (buy stop) reaches it and is then a market order.
- a market order fills at the touch plus `market_slippage_ticks`, one more tick
  (`extra_slippage_per_level`) for each further touch-size of contracts: big orders walk the book,
  and a stop in a gap fills where the market is, not at its stop price.
Market orders submitted during a tick wait in `pending` until `flush()` (the simulator calls it right
after the engine has seen the tick): no re-entrant calls from the venue into the engine.
Fees per contract and side come from instruments.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from trading_core.execution.orders import Fill, WorkingOrder

OnFill = Callable[[WorkingOrder, Fill], None]


class SimVenue:
    def __init__(self, tick_sizes: dict[str, float], fee_units: dict[str, int], slippage: int, per_level: int) -> None:
        self.tick_sizes = tick_sizes
        self.fee_units = fee_units
        self.slippage = slippage
        self.per_level = per_level
        self.on_fill: OnFill = lambda order, fill: None
        self.resting: dict[str, list[WorkingOrder]] = {s: [] for s in tick_sizes}
        self.pending: list[WorkingOrder] = []
        self._raw: dict[str, tuple[float, float, int, int, float]] = {}  # last good quote, as received
        self.now_us = 0
        self.fills = 0

    # -- Venue protocol --------------------------------------------------------------------------
    def submit(self, order: WorkingOrder) -> None:
        if order.kind == "market":
            self.pending.append(order)
        else:
            self.resting[order.symbol].append(order)

    def cancel(self, order: WorkingOrder) -> None:
        order.active = False

    def amend(self, order: WorkingOrder, qty: int, price: int | None) -> None:
        order.qty, order.price = qty, price
        if qty == order.filled:
            order.active = False

    # -- market data -----------------------------------------------------------------------------
    def on_tick(
        self, ts_us: int, symbol: str, bid: float, ask: float, bid_size: int, ask_size: int, trade: int
    ) -> None:
        """Match resting orders of `symbol` against this quote (bad quotes are ignored).

        The parameters are a `Tick`'s fields in order, so the simulator calls `on_tick(*tick)`."""
        size = self.tick_sizes.get(symbol)
        # `not bid < ask` is also true for a NaN; an infinite ask is the one bad price it lets through
        if size is None or not bid < ask or bid <= 0 or not math.isfinite(ask):
            return
        self.now_us = ts_us
        self._raw[symbol] = (bid, ask, bid_size, ask_size, size)
        book = self.resting[symbol]
        if not book:
            return  # most ticks: nothing rests on this symbol, nothing to convert or match
        b, a = int(bid / size + 0.5), int(ask / size + 0.5)
        for o in list(book):
            if not o.active:
                continue
            rem = o.qty - o.filled
            price = o.price
            assert price is not None
            if o.kind == "limit":
                if rem > 0:
                    n = min(rem, ask_size) if a <= price else (min(rem, -trade) if trade < 0 and b == price else 0)
                else:
                    n = -min(-rem, bid_size) if b >= price else (-min(-rem, trade) if trade > 0 and a == price else 0)
                if n:
                    self._fill(o, n, price, price)
            elif (rem < 0 and b <= price) or (rem > 0 and a >= price):
                self._walk(o, price)
        self.resting[symbol] = [o for o in self.resting[symbol] if o.active]

    def flush(self) -> None:
        """Fill the market orders submitted since the last flush, at the latest quote."""
        while self.pending:
            batch, self.pending = self.pending, []
            for o in batch:
                if o.active and o.symbol in self._raw:
                    bid, ask, _, _ = self.quote(o.symbol)
                    self._walk(o, ask if o.qty > 0 else bid)

    def quote(self, symbol: str) -> tuple[int, int, int, int]:
        """The latest good quote of `symbol`: bid and ask in ticks, bid and ask sizes."""
        bid, ask, bid_size, ask_size, size = self._raw[symbol]
        return int(bid / size + 0.5), int(ask / size + 0.5), bid_size, ask_size

    def _walk(self, o: WorkingOrder, ref: int) -> None:
        bid, ask, bid_size, ask_size = self.quote(o.symbol)
        rem = o.qty - o.filled
        side = 1 if rem > 0 else -1
        touch, depth = (ask, ask_size) if side > 0 else (bid, bid_size)
        level = 0
        while o.active and rem:
            n = side * min(abs(rem), max(depth, 1))
            self._fill(o, n, touch + side * (self.slippage + level * self.per_level), ref)
            rem = o.qty - o.filled
            level += 1

    def _fill(self, o: WorkingOrder, qty: int, price: int, ref: int) -> None:
        o.filled += qty
        if o.filled == o.qty:
            o.active = False
        self.fills += 1
        fill = Fill(o.id, o.symbol, qty, price, self.now_us, abs(qty) * self.fee_units[o.symbol], ref)
        self.on_fill(o, fill)
