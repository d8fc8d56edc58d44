"""The account, chunk by chunk, as the trading core computes it: one implementation of the numbers.

Equity after every event (realized and unrealized P&L, fees), the high-water mark the threshold
trails, the trailing threshold and the Apex warning and danger levels all come from
`trading_core.apex`: the same `LedgerStream` and `build_frame` that `evaluate_chunks` (and so
`droid apex check`) runs, carrying the account's state from one chunk to the next. Nothing here
recomputes them: the levels are `spec.dd.warn_level` / `danger_level` of each run of one high-water
mark, spread over the run's events, and a level is reached exactly when `droid apex check` reports
APX010 / APX011 (the property test in tests/droids/monitoring/state checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from trading_core.apex import ApexPolicy
    from trading_core.apex.journal import Journal


@dataclass(frozen=True)
class AccountChunk:
    """Per-event columns of one chunk (money in units of 1/10,000; shares of the allowed drawdown)."""

    offset: int  # position of the chunk's first event in the whole journal
    symbols: tuple[str, ...]
    ts_us: np.ndarray
    row: np.ndarray  # 0-based data row of each event
    equity: np.ndarray  # int64 money units
    hwm: np.ndarray  # int64: what the threshold trails
    threshold: np.ndarray  # float64 money units: the trailing drawdown threshold
    warn_cut: np.ndarray  # int64: equity at or below it is at the warning level (APX010's test)
    danger_cut: np.ndarray  # int64: ... at the danger level (APX011's test)
    used: np.ndarray  # float64: share of the allowed drawdown used (1 - (equity - threshold) / allowance)
    fill_at: np.ndarray  # chunk positions of the fills
    fill_sym: np.ndarray
    fill_before: np.ndarray  # the symbol's position before / after each fill
    fill_after: np.ndarray
    fill_qty: np.ndarray
    fill_price: np.ndarray  # ticks
    fill_fee: np.ndarray  # money units
    days: tuple[str, ...]  # trading days with events here (ISO dates), in order
    day_close: np.ndarray  # per day: equity at its last event here (the day may go on in the next chunk)

    def __len__(self) -> int:
        return len(self.ts_us)


class AccountTracker:
    """Feeds journal chunks through the trading core's ledger and one rule set's thresholds."""

    def __init__(self, policy: ApexPolicy) -> None:
        from trading_core.apex.columns import LedgerStream
        from trading_core.apex.session import SessionCalendar
        from trading_core.apex.spec import compile_spec

        self.policy = policy
        self.spec = compile_spec(policy)
        self.calendar = SessionCalendar(policy.session)
        self._ledger = LedgerStream(self.spec, self.calendar)
        self.events = 0
        self.warn_at = float(policy.ruleset.drawdown.warn_at)
        self.danger_at = float(policy.ruleset.drawdown.danger_at)

    @property
    def start_units(self) -> int:
        return self.spec.start

    def feed(self, journal: Journal) -> AccountChunk:
        import numpy as np

        from trading_core.apex.frame import build_frame

        part = self._ledger.run(journal)
        frame = build_frame(part, self.spec)
        runs, dd, scale = frame.runs, self.spec.dd, self.spec.dd.scale
        counts = np.diff(np.append(runs.first, len(journal)))
        allowance = dd.allowance(runs.hwm)  # scaled
        # the share of the allowance used, measured from the threshold (the levels sit above it by a share
        # of the allowance: right also once the threshold has stopped trailing)
        room = part.equity.astype(np.float64) * scale - np.repeat(runs.threshold.astype(np.float64), counts)
        used = 1.0 - room / np.maximum(np.repeat(allowance.astype(np.float64), counts), 1.0)
        fills = part.fills
        chunk = AccountChunk(
            offset=part.offset,
            symbols=journal.symbols,
            ts_us=journal.ts_us,
            row=journal.row,
            equity=part.equity,
            hwm=np.repeat(runs.hwm, counts),
            threshold=np.repeat(runs.threshold / scale, counts),
            warn_cut=np.repeat(dd.warn_level(runs.hwm, runs.threshold) // scale, counts),
            danger_cut=np.repeat(dd.danger_level(runs.hwm, runs.threshold) // scale, counts),
            used=used,
            fill_at=fills.at,
            fill_sym=fills.sym,
            fill_before=fills.own_before,
            fill_after=fills.own_after,
            fill_qty=journal.qty[fills.at],
            fill_price=journal.price_ticks[fills.at],
            fill_fee=journal.fee_units[fills.at],
            days=tuple(b.day.isoformat() for b in part.days),
            day_close=part.equity[part.day_last],
        )
        self.events += len(journal)
        return chunk
