"""The monitor's current state: what `status`, the dashboard, /metrics, `droid ask` and the
"monitor-state" service show. Plain JSON (`as_dict`), bounded in size whatever the journal's length:
the chart series keep at most `dashboard.points` points (halved by taking every other point when
full), the alert list the last 50.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from droids.monitoring.rules.base import Signal
from droids.monitoring.state import metrics

_SAMPLE_US = 60_000_000  # one chart point per minute of journal time (the last event of the minute)


@dataclass
class LiveState:
    journal: str
    ruleset: str
    account: str
    start: float
    warn_at: float
    danger_at: float
    points: int = 2000
    events: int = 0
    last_ts_us: int | None = None
    equity: float | None = None
    hwm: float | None = None
    threshold: float | None = None
    warn_level: float | None = None
    danger_level: float | None = None
    used: float | None = None
    series: dict[str, list[float]] = field(
        default_factory=lambda: {k: [] for k in ("t", "equity", "threshold", "warn", "danger", "drawdown")}
    )
    closes: dict[str, float] = field(default_factory=dict)
    trade_pnl: list[float] = field(default_factory=list)
    recent: list[dict[str, Any]] = field(default_factory=list)
    positions: list[dict[str, Any]] = field(default_factory=list)
    open_alerts: list[dict[str, Any]] = field(default_factory=list)
    risk_events: list[dict[str, Any]] = field(default_factory=list)
    latency_p99_ms: float | None = None
    outbox: dict[str, int] = field(default_factory=dict)
    trips: list[dict[str, Any]] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    version: int = 0

    def update_account(self, chunk: Any) -> None:
        import numpy as np

        if chunk is None or not len(chunk):
            return
        i = len(chunk) - 1
        self.events += len(chunk)
        self.last_ts_us = int(chunk.ts_us[i])
        self.equity = int(chunk.equity[i]) / 1e4
        self.hwm = int(chunk.hwm[i]) / 1e4
        self.threshold = float(chunk.threshold[i]) / 1e4
        self.warn_level = int(chunk.warn_cut[i]) / 1e4
        self.danger_level = int(chunk.danger_cut[i]) / 1e4
        self.used = float(chunk.used[i])
        for day, close in zip(chunk.days, chunk.day_close.tolist(), strict=True):
            self.closes[day] = close / 1e4
        minute = chunk.ts_us // _SAMPLE_US
        last = np.flatnonzero(np.append(minute[1:] != minute[:-1], True))
        s = self.series
        if s["t"] and last.size and int(chunk.ts_us[last[0]]) // 1000 // 60_000 == int(s["t"][-1]) // 60_000:
            for key in s:  # the minute in progress: its point moves to the newer event
                s[key].pop()
        s["t"] += (chunk.ts_us[last] // 1000).tolist()
        s["equity"] += (chunk.equity[last] / 1e4).tolist()
        s["threshold"] += (chunk.threshold[last] / 1e4).tolist()
        s["warn"] += (chunk.warn_cut[last] / 1e4).tolist()
        s["danger"] += (chunk.danger_cut[last] / 1e4).tolist()
        s["drawdown"] += (chunk.used[last] * 100).round(3).tolist()
        while len(s["t"]) > self.points:
            for key in s:
                s[key] = s[key][-1::-2][::-1]

    def update_trades(self, pnl: Any) -> None:
        if pnl is not None and len(pnl):
            self.trade_pnl += (pnl / 1e4).tolist()

    def record(self, decided: list[tuple[Signal, Any]]) -> None:
        for s, row in decided:
            self.recent.append(
                {
                    "ts_us": s.ts_us,
                    "rule": s.rule,
                    "subject": s.subject,
                    "firing": s.firing,
                    "paged": row.paged,
                    "message": s.message,
                    "note": row.note,
                }
            )
        del self.recent[:-50]

    def as_dict(self) -> dict[str, Any]:
        from trading_core.apex.session import iso_utc

        perf = metrics.summary(list(self.closes.values()), self.start, self.trade_pnl)
        wins = [p > 0 for p in self.trade_pnl]
        window = wins[-50:]
        return {
            "journal": self.journal,
            "ruleset": self.ruleset,
            "account": self.account,
            "events": self.events,
            "last_event": iso_utc(self.last_ts_us) if self.last_ts_us is not None else None,
            "starting_balance": self.start,
            "equity": self.equity,
            "high_water_mark": self.hwm,
            "threshold": self.threshold,
            "warn_level": self.warn_level,
            "danger_level": self.danger_level,
            "drawdown_share": self.used,
            "warn_at": self.warn_at,
            "danger_at": self.danger_at,
            "distance_to_threshold": None if self.equity is None else round(self.equity - (self.threshold or 0), 2),
            "distance_to_warn": None if self.equity is None else round(self.equity - (self.warn_level or 0), 2),
            "distance_to_danger": None if self.equity is None else round(self.equity - (self.danger_level or 0), 2),
            "positions": self.positions,
            "open_alerts": self.open_alerts,
            "recent_alerts": [{**a, "ts": iso_utc(a["ts_us"])} for a in self.recent[-20:]][::-1],
            "risk_events": [{**e, "ts": iso_utc(e["ts_us"])} for e in self.risk_events[-10:]][::-1],
            "trades": len(self.trade_pnl),
            "win_rate": (sum(wins) / len(wins)) if wins else None,
            "win_rate_recent": (sum(window) / len(window)) if window else None,
            "performance": perf,
            "latency_p99_ms": self.latency_p99_ms,
            "outbox": self.outbox,
            "kill_switch": self.trips,
            "profiles": self.profiles,
            "series": self.series,
            "version": self.version,
        }
