"""The simulator's output files: journal.csv (the contract's account journal), equity.csv, trades.csv
and risk_events.csv.

journal.csv has exactly the contract's columns: ts (ISO-8601 with the session time zone's offset,
microseconds), kind (fill | mark), symbol, qty (signed, fills only; empty for marks), price (exact
decimal on the tick grid), fee (this fill's fees in currency; empty for marks). Rows are written in
event order as the engine emits them, i.e. exactly the events the Apex guard saw, so `droid apex
check` replays the same account. Files are streamed (line-buffered by the csv module), so a long run
keeps memory flat.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from trading_core.execution.costs import TradeRecord
from trading_core.market.instruments import Instruments
from trading_core.market.money import MONEY_UNITS_PER_DOLLAR
from trading_core.risk.events import RiskEvent

JOURNAL_COLUMNS = ("ts", "kind", "symbol", "qty", "price", "fee")
EQUITY_COLUMNS = ("ts", "equity", "peak", "drawdown", "day_pnl", "open_contracts", "fees")
TRADE_COLUMNS = (
    "opened",
    "closed",
    "symbol",
    "side",
    "contracts",
    "avg_entry",
    "exit",
    "gross",
    "fees",
    "slippage",
    "net",
)
RISK_COLUMNS = ("ts", "kind", "rule", "symbol", "reason")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def money(units: int) -> str:
    return str(Decimal(units) / MONEY_UNITS_PER_DOLLAR)


class IsoClock:
    """Microseconds UTC -> ISO-8601 in the session's zone, with its offset."""

    def __init__(self, timezone: str) -> None:
        self.tz = ZoneInfo(timezone)

    def __call__(self, ts_us: int) -> str:
        moment = (_EPOCH + dt.timedelta(microseconds=ts_us)).astimezone(self.tz)
        return moment.isoformat(timespec="microseconds")


class SimWriters:
    def __init__(self, out_dir: Path, instruments: Instruments, timezone: str) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.iso = IsoClock(timezone)
        self.tick_size = {r: instruments[r].tick_size for r in instruments.roots}
        self._files: list[TextIO] = []
        self.journal = self._open("journal.csv", JOURNAL_COLUMNS)
        self.equity = self._open("equity.csv", EQUITY_COLUMNS)
        self.trades = self._open("trades.csv", TRADE_COLUMNS)
        self.risk = self._open("risk_events.csv", RISK_COLUMNS)
        self.rows = {"journal": 0, "fill": 0, "mark": 0, "equity": 0, "trades": 0, "risk": 0}

    def _open(self, name: str, header: tuple[str, ...]) -> csv.Writer:  # type: ignore[name-defined]
        f = (self.out_dir / name).open("w", newline="", encoding="utf-8")
        self._files.append(f)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        return w

    def account_event(self, kind: str, ts_us: int, symbol: str, qty: int, price: int, fee: int) -> None:
        price_text = str(self.tick_size[symbol] * price)
        if kind == "fill":
            self.journal.writerow((self.iso(ts_us), kind, symbol, qty, price_text, money(fee)))
        else:
            self.journal.writerow((self.iso(ts_us), kind, symbol, "", price_text, ""))
        self.rows["journal"] += 1
        self.rows[kind] += 1

    def equity_row(self, ts_us: int, equity: int, peak: int, day_pnl: int, open_contracts: int, fees: int) -> None:
        self.equity.writerow(
            (
                self.iso(ts_us),
                money(equity),
                money(peak),
                money(peak - equity),
                money(day_pnl),
                open_contracts,
                money(fees),
            )
        )
        self.rows["equity"] += 1

    def trade(self, r: TradeRecord) -> None:
        self.trades.writerow(
            (
                self.iso(r.opened_us),
                self.iso(r.closed_us),
                r.symbol,
                "long" if r.side > 0 else "short",
                r.contracts,
                f"{float(self.tick_size[r.symbol]) * r.avg_entry:.4f}",
                r.exit_reason,
                money(r.gross_units),
                money(r.fee_units),
                money(r.slippage_units),
                money(r.net_units),
            )
        )
        self.rows["trades"] += 1

    def risk_event(self, e: RiskEvent) -> None:
        self.risk.writerow((self.iso(e.ts_us), e.kind, e.rule, e.symbol, e.reason))
        self.rows["risk"] += 1

    def close(self) -> None:
        for f in self._files:
            f.close()
