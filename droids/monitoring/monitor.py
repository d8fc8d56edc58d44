"""The monitor: journal chunks in, alert decisions, kill switch and pages out, state for the dashboard.

`Monitor.feed(journal)` runs one chunk through the trading core's ledger (state/account.py), the
trade book, the nine detectors, the episode layer (dedupe, cooldown) and, at MON002, the circuit
breaker (before any page is queued: the kill switch must not wait for Slack); then it writes the
alerts and their messages to the outbox in one transaction and wakes the sender. `tick(clock)`
advances the journal clock without events (a quiet journal: stuck positions still age).
The same code serves `replay`, `watch`, `serve`, `status` and `droid ask`; only the driver differs
(runner.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from droids.monitoring.alerts.episodes import Episodes, compose
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules import MODULES
from droids.monitoring.rules.base import Degrade, LatencySamples, Signal, View
from droids.monitoring.state.account import AccountTracker
from droids.monitoring.state.snapshot import LiveState
from droids.monitoring.state.trades import TradeBook

if TYPE_CHECKING:
    from droids.monitoring.alerts.deliver import Channels, Sender
    from droids.monitoring.alerts.outbox import AlertRow, Outbox
    from droids.monitoring.breaker import Breaker
    from trading_core.apex import ApexPolicy
    from trading_core.apex.journal import Journal


@dataclass
class Monitor:
    policy: MonitoringPolicy
    apex: ApexPolicy
    scope: str
    journal_name: str = "journal"
    outbox: Outbox | None = None
    channels: Channels | None = None
    sender: Sender | None = None
    breaker: Breaker | None = None
    on_update: Callable[[LiveState], None] | None = None
    tracker: AccountTracker = field(init=False)
    book: TradeBook = field(init=False)
    episodes: Episodes = field(init=False)
    state: LiveState = field(init=False)
    detectors: dict[str, Any] = field(init=False)  # rule id -> its detector
    decided: int = 0

    def __post_init__(self) -> None:
        self.tracker = AccountTracker(self.apex)
        self.book = TradeBook(self.apex.instruments)
        warn, danger = self.tracker.warn_at, self.tracker.danger_at
        self.detectors = {m.RULE.id: m.detector(self.policy, warn, danger) for m in MODULES}
        self.episodes = Episodes(self.policy, self.scope)
        self.state = LiveState(
            journal=self.journal_name,
            ruleset=self.apex.ruleset_name,
            account=self.apex.account_name,
            start=self.tracker.start_units / 1e4,
            warn_at=warn,
            danger_at=danger,
            points=self.policy.dashboard.points,
        )

    def feed(
        self,
        journal: Journal | None,
        *,
        read_at: float | None = None,
        clock_us: int | None = None,
        latency: LatencySamples | None = None,
        degrades: tuple[Degrade, ...] = (),
    ) -> list[tuple[Signal, AlertRow]]:
        read_at = time.perf_counter() if read_at is None else read_at
        chunk = self.tracker.feed(journal) if journal is not None and len(journal) else None
        if clock_us is None:
            clock_us = int(chunk.ts_us[-1]) if chunk is not None else (self.state.last_ts_us or 0)
        # the danger level first: the kill switch waits for nothing else (trades, other rules, pages)
        danger = self.detectors["MON002"].feed(View(chunk, None, None, clock_us))
        kills = self._kill(danger, read_at)
        trades, spans = self.book.feed(chunk) if chunk is not None else (None, None)
        view = View(chunk, trades, spans, clock_us, latency, degrades)
        signals = danger + [s for rule, d in self.detectors.items() if rule != "MON002" for s in d.feed(view)]
        decided = self.episodes.decide(signals) if signals else []
        extra = self._profiles(decided)
        extra.update({row.id: kills[id(s)] for s, row in decided if id(s) in kills})
        if decided and self.outbox is not None:
            targets = {
                name: self.channels.target(name)
                for name in ("slack", "email", "apprise")
                if self.channels is not None and self.channels.configured(name)
            }
            self.outbox.add([row for _, row in decided], lambda new: compose(new, self.policy, targets, extra=extra))
            if self.sender is not None:
                self.sender.wake.set()
        self.decided += len(decided)
        self._update(chunk, trades, decided, latency)
        return decided

    def tick(self, clock_us: int) -> list[tuple[Signal, AlertRow]]:
        return self.feed(None, clock_us=clock_us)

    def _kill(self, danger: list[Signal], read_at: float) -> dict[int, str]:
        """Call the kill switch at a danger crossing; the line its page carries, by signal."""
        out: dict[int, str] = {}
        if self.breaker is None or not self.policy.breaker.kill_at_danger:
            return out
        for s in danger:
            if s.firing:
                trip = self.breaker.on_danger(s, read_at)
                if trip is not None:
                    seq = f", audit entry {trip.audit_seq}" if trip.audit_seq is not None else ""
                    out[id(s)] = f"kill switch called ({trip.target}) {trip.latency_ms:.1f} ms after the crossing{seq}"
        return out

    def _profiles(self, decided: list[tuple[Signal, AlertRow]]) -> dict[str, str]:
        extra: dict[str, str] = {}
        if self.breaker is None or not self.policy.breaker.profile_on_spike:
            return extra
        for s, row in decided:
            if s.rule == "MON008" and s.firing and row.paged:
                where = self.breaker.on_spike(s)
                if where is not None:
                    extra[row.id] = f"profile of the OnTick pipeline (performance droid): {where}"
        return extra

    def _update(self, chunk: Any, trades: Any, decided: list[tuple[Signal, AlertRow]], latency: Any) -> None:
        st = self.state
        st.update_account(chunk)
        st.update_trades(None if trades is None else trades.pnl)
        st.record(decided)
        clock = st.last_ts_us or 0
        st.positions = [
            {
                "symbol": p.symbol,
                "qty": p.qty,
                "since_row": p.open_row,
                "open_ts_us": p.open_ts,
                "minutes": round((clock - p.open_ts) / 60_000_000, 1),
            }
            for p in self.book.open.values()
        ]
        st.open_alerts = [
            {"rule": s.rule, "subject": s.subject, "since_us": s.ts_us, "message": s.message}
            for s in self.episodes.open_alerts()
        ]
        p99 = getattr(self.detectors["MON005"], "p99_us", None)
        st.latency_p99_ms = None if p99 is None else round(p99 / 1000, 3)
        if self.outbox is not None and decided:
            st.outbox = self.outbox.counts()
        if self.breaker is not None:
            st.trips = [
                {
                    "reason": t.reason,
                    "ts_us": t.ts_us,
                    "latency_ms": round(t.latency_ms, 3),
                    "target": t.target,
                    "audit_seq": t.audit_seq,
                }
                for t in self.breaker.trips
            ]
            st.profiles = [str(p) for p in self.breaker.profiles]
        st.version += 1
        if self.on_update is not None:
            self.on_update(st)
