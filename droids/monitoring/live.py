"""The monitor inside the trading process: `attach(engine, ...)` and the kill switch is the engine's own.

    from droids.monitoring.live import attach
    live = attach(engine, policies_dir, repo=repo)   # before the first tick
    ...                                              # every fill and mark reaches the monitor
    live.monitor.state.as_dict()                     # the same state `droid monitor status` shows

The engine's account sink (every fill and mark the journal records, in order) is chained: the
previous sink (the simulator's journal writer, for instance) still gets every event first. At a
MON002 crossing the breaker calls `Engine.kill(reason, ts_us)`, the trading core's public kill
switch: SENTINEL flattens, cancels and denies every new entry (SEN001) from then on. Alerts go
through the outbox and channels when `send` is set (a sender thread delivers them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.monitoring.monitor import Monitor
from droids.monitoring.state.tail import SymbolCodes


@dataclass
class EngineTarget:
    engine: Any

    def kill(self, reason: str, ts_us: int) -> object:
        return self.engine.kill(reason, ts_us)


class LiveMonitor:
    def __init__(self, engine: Any, monitor: Monitor) -> None:
        self.engine, self.monitor = engine, monitor
        self.codes = SymbolCodes()
        self.index = 0
        self.previous = engine.account_sink
        engine.account_sink = self.on_event

    def on_event(self, kind: str, ts_us: int, symbol: str, qty: int, price: int, fee: int) -> None:
        from trading_core.apex.journal import Event, Journal

        if self.previous is not None:
            self.previous(kind, ts_us, symbol, qty, price, fee)
        event = Event(
            self.index,
            ts_us,
            kind,
            symbol,
            qty if kind == "fill" else 0,
            price,  # type: ignore[arg-type]
            fee if kind == "fill" else 0,
        )
        self.index += 1
        self.monitor.feed(self.codes.adopt(Journal.from_events([event], source="engine")))

    def detach(self) -> None:
        self.engine.account_sink = self.previous


def attach(
    engine: Any, policies: Path, *, repo: Path | None = None, send: bool = False, state_dir: Path | None = None
) -> LiveMonitor:
    """Monitor `engine`'s account from now on; its kill switch is the breaker's target."""
    from droids.monitoring.breaker import Breaker, audit_writer
    from droids.monitoring.policy import load_monitoring_policy
    from trading_core.apex import load_apex_policy

    policy, _ = load_monitoring_policy(policies)
    apex = load_apex_policy(policies, ruleset=policy.ruleset, account=policy.account)
    audit = audit_writer(repo, Path("engine")) if repo is not None else None
    breaker = Breaker(EngineTarget(engine), "Engine.kill", audit)
    outbox = channels = sender = None
    if send:
        import threading

        from droids.monitoring.alerts.deliver import Channels, Sender
        from droids.monitoring.alerts.outbox import Outbox

        channels = Channels.from_env(policy)
        outbox = Outbox((state_dir or Path(".droid")) / "monitor" / "outbox.sqlite")
        sender = Sender(outbox, channels, policy)
        threading.Thread(target=sender.run_forever, name="monitor-sender", daemon=True).start()
    monitor = Monitor(
        policy,
        apex,
        scope=f"engine:{id(engine)}",
        journal_name="engine",
        outbox=outbox,
        channels=channels,
        sender=sender,
        breaker=breaker,
    )
    return LiveMonitor(engine, monitor)
