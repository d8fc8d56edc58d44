"""The engine's own account: positions, fees and equity valued tick by tick at the liquidation price.

Equity = start + sum over symbols of tick_value x (qty x liquidation price - cash) - fees, with cash the
signed sum of qty x price over fills (integer money units, exact). A long is valued at the bid and a
short at the ask: what flattening would get now. The Apex guard keeps its own ledger from the events
it is fed; this one exists because SENTINEL reads equity on every tick, which the guard never sees.
"""

from __future__ import annotations

from trading_core.market.instruments import Instruments


class Account:
    def __init__(self, start_units: int, instruments: Instruments, symbols: list[str] | tuple[str, ...]) -> None:
        self.start = start_units
        self.tick_value = {s: instruments.tick_value_units(s) for s in symbols}
        self.weight = {s: float(instruments.weight(s)) for s in symbols}
        self.qty: dict[str, int] = dict.fromkeys(symbols, 0)
        self.cash: dict[str, int] = dict.fromkeys(symbols, 0)
        self._pnl: dict[str, int] = dict.fromkeys(symbols, 0)
        self._liq: dict[str, int] = dict.fromkeys(symbols, 0)
        self.pnl = 0
        self.fees = 0
        self.equity = start_units
        self.peak = start_units
        self.day_start = start_units

    def on_fill(self, symbol: str, qty: int, price: int, fee_units: int) -> None:
        self.qty[symbol] += qty
        self.cash[symbol] += qty * price
        self.fees += fee_units
        if not self._liq[symbol]:
            self._liq[symbol] = price
        self._revalue(symbol)

    def mark(self, symbol: str, bid: int, ask: int) -> None:
        q = self.qty[symbol]
        self._liq[symbol] = bid if q >= 0 else ask
        if q:
            self._revalue(symbol)

    def _revalue(self, symbol: str) -> None:
        q = self.qty[symbol]
        pnl = self.tick_value[symbol] * (q * self._liq[symbol] - self.cash[symbol])
        self.pnl += pnl - self._pnl[symbol]
        self._pnl[symbol] = pnl
        self.equity = self.start + self.pnl - self.fees
        if self.equity > self.peak:
            self.peak = self.equity

    def liquidation_price(self, symbol: str) -> int:
        return self._liq[symbol]

    def start_day(self) -> None:
        self.day_start = self.equity

    @property
    def day_pnl(self) -> int:
        return self.equity - self.day_start

    def open_symbols(self) -> list[str]:
        return [s for s, q in self.qty.items() if q]

    def exposure(self) -> float:
        """Weighted open contracts (micros count their cap weight)."""
        return sum(abs(q) * self.weight[s] for s, q in self.qty.items())
