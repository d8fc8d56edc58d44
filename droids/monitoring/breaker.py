"""The circuit breaker: the kill switch at the danger level, a profile on a latency spike.

At a MON002 episode start the monitor calls the trading core's kill switch through its public API
(`Engine.kill(reason, ts_us)` when the monitor runs inside the trading process, see live.py;
otherwise `Sentinel.kill(reason, ts_us)` of a SENTINEL built for the followed account from
policies/, whose kill event goes to `<state>/monitor/kill_switch.csv` in risk_events.csv's columns)
and appends a `kill_switch` entry to the audit trail (droids.core.audit.trail): the reason, the
journal row, the journal time of the crossing and how long after reading it the switch was called.
The switch latches: one kill per run.

At a MON008 latency spike it asks the performance droid for a profile of the OnTick pipeline, never
importing it: `registry.service("profile")` (droids.core.registry). The profile's folder is chosen
before the call, so the alert names it at once; the profile is written there in the background.
"""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from droids.monitoring.rules.base import Signal


class KillTarget(Protocol):
    def kill(self, reason: str, ts_us: int) -> object: ...


@dataclass
class Trip:
    reason: str
    ts_us: int
    row: int | None
    latency_ms: float
    target: str
    audit_seq: int | None = None


class ShadowSentinel:
    """SENTINEL for an account the monitor follows from its journal (the trading process is another)."""

    def __init__(self, policies: Path, apex_policy: Any, out_csv: Path) -> None:
        from trading_core.apex.guard import ApexGuard
        from trading_core.apex.session import SessionCalendar
        from trading_core.engine.config import load_strategy
        from trading_core.execution.account import Account
        from trading_core.market.money import to_units
        from trading_core.risk.events import EventLog
        from trading_core.risk.sentinel import Sentinel

        ins = apex_policy.instruments
        strategy = load_strategy(policies, ins)
        account = Account(to_units(apex_policy.account.starting_balance), ins, tuple(strategy.symbols))
        self.out_csv = out_csv
        self.sentinel = Sentinel(
            ApexGuard(apex_policy), strategy, account, SessionCalendar(apex_policy.session), EventLog(self._write), {}
        )

    def _write(self, event: Any) -> None:
        from trading_core.apex.session import iso_utc

        self.out_csv.parent.mkdir(parents=True, exist_ok=True)
        new = not self.out_csv.exists()
        with self.out_csv.open("a", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            if new:
                w.writerow(("ts", "kind", "rule", "symbol", "reason"))
            w.writerow((iso_utc(event.ts_us), event.kind, event.rule, event.symbol, event.reason))

    def kill(self, reason: str, ts_us: int) -> object:
        return self.sentinel.kill(reason, ts_us)

    @property
    def engaged(self) -> bool:
        return self.sentinel.kill_switch.engaged


@dataclass
class Breaker:
    target: KillTarget | None
    target_name: str
    audit: Callable[[Trip], int | None] | None = None
    profile: Callable[[Path], object] | None = None
    profile_root: Path | None = None
    trips: list[Trip] = field(default_factory=list)
    profiles: list[Path] = field(default_factory=list)
    profile_errors: list[str] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def on_danger(self, s: Signal, read_at: float) -> Trip | None:
        """Kill at the first danger crossing (the switch latches); `read_at`: when the crossing was read."""
        if self.target is None or self.trips:
            return None
        reason = f"monitor {s.rule}: {s.message}"
        self.target.kill(reason[:480], s.ts_us)
        trip = Trip(reason, s.ts_us, s.row, (time.perf_counter() - read_at) * 1000, self.target_name)
        if self.audit is not None:
            trip.audit_seq = self.audit(trip)
        self.trips.append(trip)
        return trip

    def on_spike(self, s: Signal) -> Path | None:
        """Start a profile (once per run) in the background; the folder it writes to."""
        if self.profile is None or self.profile_root is None or self.profiles:
            return None
        from trading_core.apex.session import iso_utc

        out = self.profile_root / iso_utc(s.ts_us).replace(":", "").replace("-", "")
        self.profiles.append(out)
        profile = self.profile

        def run() -> None:
            try:
                profile(out)
            except Exception as exc:  # the profile is a help, never a reason for the monitor to stop
                self.profile_errors.append(f"{exc.__class__.__name__}: {exc}")

        t = threading.Thread(target=run, name="monitor-profile", daemon=True)
        t.start()
        self._threads.append(t)
        return out

    def wait(self, timeout_s: float = 600.0) -> None:
        for t in self._threads:
            t.join(timeout_s)


def audit_writer(repo: Path, journal: Path) -> Callable[[Trip], int | None]:
    """Appends each trip to the repository's audit trail (kind kill_switch, profile monitoring)."""

    def write(trip: Trip) -> int | None:
        from droids.core.audit.trail import open_store, who
        from trading_core.apex.session import iso_utc

        with open_store(repo) as store:
            record = store.append(
                kind="kill_switch",
                profile="monitoring",
                verdict="halted",
                counts={"MON002": 1},
                who=who(repo),
                head=None,
                details={
                    "ts": iso_utc(trip.ts_us),
                    "reason": trip.reason[:500],
                    "rule": "MON002",
                    "journal": journal.name,
                    "row": trip.row,
                    "target": trip.target,
                    "latency_ms": round(trip.latency_ms, 3),
                },
            )
        return record.seq

    return write


def profile_service(repo: Path, policies: Path, ticks: int) -> Callable[[Path], object] | None:
    """The performance droid's "profile" service from the registry (None when no droid offers it)."""
    from droids.core.registry import load_registry

    service = load_registry().service("profile")
    if service is None:
        return None

    def run(out: Path) -> object:
        return service(repo, policies, out, ticks=ticks, flamegraph=False)

    return run
