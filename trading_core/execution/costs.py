"""Trading-cost tracking: every closed bracket becomes a trade record with its fees and slippage.

slippage = sum over fills of |qty| x tick value x (distance from the order's reference price in the
adverse direction): a market buy filled two ticks above the touch costs two ticks, a stop sold one
tick under its stop price costs one. net = gross (realized P&L of the fills) - fees. The tracker keeps
running totals and, optionally, the list of records (the simulator writes them to trades.csv).
"""

from __future__ import annotations

from dataclasses import dataclass

from trading_core.execution.bracket import Bracket


@dataclass(frozen=True, slots=True)
class TradeRecord:
    symbol: str
    side: int
    opened_us: int
    closed_us: int
    contracts: int
    avg_entry: float  # ticks
    exit_reason: str  # target | stop | time | none (entry never filled)
    gross_units: int
    fee_units: int
    slippage_units: int

    @property
    def net_units(self) -> int:
        return self.gross_units - self.fee_units


def trade_record(b: Bracket, tick_value_units: int) -> TradeRecord:
    gross = fees = slip = 0
    for f in b.fills:
        gross -= f.qty * f.price * tick_value_units
        fees += f.fee_units
        adverse = (f.price - f.ref_price) if f.qty > 0 else (f.ref_price - f.price)
        slip += abs(f.qty) * adverse * tick_value_units
    reason = "none"
    if b.fills and b.exit_filled:
        last = b.fills[-1].order_id
        reason = {getattr(b.stop, "id", None): "stop", getattr(b.target, "id", None): "target"}.get(last, "time")
    closed = b.fills[-1].ts_us if b.fills else b.opened_us
    return TradeRecord(b.symbol, b.side, b.opened_us, closed, b.entry_filled, b.avg_entry, reason, gross, fees, slip)


class CostTracker:
    def __init__(self, tick_values: dict[str, int], keep_records: bool = True) -> None:
        self.tick_values = tick_values
        self.keep_records = keep_records
        self.records: list[TradeRecord] = []
        self.trades = 0
        self.fees = 0
        self.slippage = 0
        self.gross = 0

    def on_closed(self, b: Bracket) -> None:
        if not b.fills:
            return  # an entry that never filled is not a trade
        r = trade_record(b, self.tick_values[b.symbol])
        self.trades += 1
        self.fees += r.fee_units
        self.slippage += r.slippage_units
        self.gross += r.gross_units
        if self.keep_records:
            self.records.append(r)
