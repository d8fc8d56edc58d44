"""Drivers of the monitor: which journal, the parts a run needs, and the replay and follow loops.

- `find_journal`: the JOURNAL argument, else policies/monitoring.yaml `journal`, else the newest
  journal.csv under the state dir (.droid/, where `droid sim run` writes), else None.
- `build`: the monitor with its outbox (`.droid/monitor/outbox.sqlite`), channels, sender thread
  and circuit breaker, as a command asks for them.
- `replay`: the whole journal through the monitor as fast as it can be read, or at `speed` x
  journal time; `follow`: poll a growing journal (and its risk_events.csv / latency.csv) until
  stopped, advancing the journal clock with the wall clock while it is quiet.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from droids.core.errors import DroidError
from droids.monitoring.policy import MonitoringPolicy, load_monitoring_policy

if TYPE_CHECKING:
    from droids.monitoring.monitor import Monitor
    from droids.monitoring.state.sidecars import Sidecars


def monitor_dir(state_dir: Path) -> Path:
    return state_dir / "monitor"


def find_journal(repo: Path, state_dir: Path, policy: MonitoringPolicy, given: Path | None) -> Path | None:
    if given is not None:
        path = given if given.is_absolute() else (Path.cwd() / given)
        if not path.is_file():
            raise DroidError(f"{given}: journal not found")
        return path.resolve()
    if policy.journal:
        path = Path(policy.journal)
        path = path if path.is_absolute() else repo / path
        if not path.is_file():
            raise DroidError(f"monitoring.yaml: journal: {policy.journal}: file not found")
        return path.resolve()
    if not state_dir.is_dir():
        return None
    found = [p for p in state_dir.rglob("journal.csv") if p.is_file() and monitor_dir(state_dir) not in p.parents]
    return max(found, key=lambda p: p.stat().st_mtime).resolve() if found else None


@dataclass
class Run:
    monitor: Monitor
    journal: Path
    sender: Any = None
    sender_thread: threading.Thread | None = None
    notes: list[str] = field(default_factory=list)

    def start_sender(self) -> None:
        if self.sender is not None and self.sender_thread is None:
            self.sender_thread = threading.Thread(target=self.sender.run_forever, name="monitor-sender", daemon=True)
            self.sender_thread.start()

    def finish(self, wait_s: float) -> None:
        """Give the sender up to `wait_s` to deliver what is due, then stop it."""
        if self.sender is None:
            return
        deadline = time.time() + wait_s
        outbox = self.monitor.outbox
        while outbox is not None and time.time() < deadline:
            counts = outbox.counts()
            if not counts["pending"] and not counts["sending"]:
                break
            self.sender.wake.set()
            time.sleep(0.05)
        self.sender.stop.set()
        self.sender.wake.set()
        if self.sender_thread is not None:
            self.sender_thread.join(15)
        if self.monitor.breaker is not None:
            self.monitor.breaker.wait(min(wait_s, 600))
        if outbox is not None:
            self.monitor.state.outbox = outbox.counts()


def build(
    repo: Path,
    policies: Path,
    state_dir: Path,
    journal: Path,
    *,
    scope: str | None = None,
    send: bool = True,
    kill: bool = True,
    on_update: Callable[[Any], None] | None = None,
) -> Run:
    from droids.monitoring.monitor import Monitor
    from trading_core.apex import load_apex_policy

    policy, _ = load_monitoring_policy(policies)
    apex = load_apex_policy(policies, ruleset=policy.ruleset, account=policy.account)
    notes: list[str] = []
    outbox = channels = sender = breaker = None
    if send:
        from droids.monitoring.alerts.deliver import Channels, Sender
        from droids.monitoring.alerts.outbox import Outbox

        channels = Channels.from_env(policy)
        outbox = Outbox(monitor_dir(state_dir) / "outbox.sqlite")
        sender = Sender(outbox, channels, policy)
        for name, why in channels.missing.items():
            if any(name in routes for routes in policy.channels.routes.values()) and name != "apprise":
                notes.append(f"alerts routed to {name} are recorded, not sent: {why}")
    if kill:
        breaker = _breaker(repo, policies, state_dir, journal, policy, apex, notes)
    monitor = Monitor(
        policy=policy,
        apex=apex,
        scope=scope or f"replay:{uuid.uuid4().hex[:12]}",
        journal_name=_display(journal, repo),
        outbox=outbox,
        channels=channels,
        sender=sender,
        breaker=breaker,
        on_update=on_update,
    )
    return Run(monitor, journal, sender, notes=notes)


def _breaker(
    repo: Path, policies: Path, state_dir: Path, journal: Path, policy: MonitoringPolicy, apex: Any, notes: list[str]
) -> Any:
    from droids.monitoring.breaker import Breaker, ShadowSentinel, audit_writer, profile_service
    from trading_core.errors import TradingCoreError

    target, name = None, "none"
    if policy.breaker.kill_at_danger:
        try:
            target = ShadowSentinel(policies, apex, monitor_dir(state_dir) / "kill_switch.csv")
            name = "SENTINEL.kill"
        except TradingCoreError as exc:
            notes.append(f"kill switch not armed: {exc}")
    profile = None
    if policy.breaker.profile_on_spike:
        profile = profile_service(repo, policies, policy.breaker.profile_ticks)
    return Breaker(target, name, audit_writer(repo, journal), profile, monitor_dir(state_dir) / "profiles")


def _display(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return str(path)


def replay(run: Run, *, speed: float = 0.0, sidecars: Sidecars | None = None) -> None:
    """The whole journal through the monitor; `speed` > 0 paces it at that many x journal time."""
    import numpy as np

    from trading_core.apex import journal_chunks

    latency, degrades = sidecars.read() if sidecars is not None else (None, ())
    mon = run.monitor
    start_wall: float | None = None
    start_ts: int | None = None

    def due(ts_us: int) -> float:
        assert start_wall is not None and start_ts is not None
        return start_wall + (ts_us - start_ts) / 1e6 / speed

    for chunk in prefetched(journal_chunks(run.journal, instruments=mon.apex.instruments)):
        if not len(chunk):
            continue
        end_ts = int(chunk.ts_us[-1])
        lat, latency = _split_latency(latency, end_ts)
        mine = tuple(d for d in degrades if d.ts_us <= end_ts)
        degrades = tuple(d for d in degrades if d.ts_us > end_ts)
        if speed <= 0:
            mon.feed(chunk, read_at=time.perf_counter(), latency=lat, degrades=mine)
            continue
        if start_wall is None:
            start_wall, start_ts = time.perf_counter(), int(chunk.ts_us[0])
        for piece, first in _pieces(chunk, due, np):
            wait = due(int(piece.ts_us[-1])) - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            mon.feed(piece, read_at=due(first), latency=lat, degrades=mine)
            lat, mine = None, ()
    if latency is not None or degrades:
        mon.feed(None, latency=latency, degrades=degrades)


def prefetched(chunks: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """The chunks, read ahead in a thread: pyarrow parses the next chunk (releasing the GIL) while the
    monitor judges this one. An error of the reader is raised here, in order."""
    import queue

    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        box.put(("chunk", chunk), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(("end", None))
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(("error", exc))

    reader = threading.Thread(target=read, name="journal-reader", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = box.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


def _split_latency(latency: Any, end_ts: int) -> tuple[Any, Any]:
    if latency is None:
        return None, None
    from droids.monitoring.rules.base import LatencySamples

    k = int((latency.ts_us <= end_ts).sum())
    head = LatencySamples(latency.ts_us[:k], latency.on_tick_us[:k]) if k else None
    rest = LatencySamples(latency.ts_us[k:], latency.on_tick_us[k:]) if k < len(latency.ts_us) else None
    return head, rest


def _pieces(chunk: Any, due: Callable[[int], float], np: Any, slice_s: float = 0.02) -> Iterator[tuple[Any, int]]:
    """The chunk in pieces of at most `slice_s` of wall time each (paced replay)."""
    import dataclasses

    walls = (chunk.ts_us - chunk.ts_us[0]).astype(np.float64)
    base = due(int(chunk.ts_us[0]))
    step = due(int(chunk.ts_us[0]) + 1_000_000) - base  # wall seconds per journal second
    slot = ((base + walls / 1e6 * step) // slice_s).astype(np.int64)
    cuts = np.flatnonzero(np.diff(slot)) + 1
    for a, b in zip(np.concatenate(([0], cuts)), np.append(cuts, len(chunk)), strict=True):
        part = dataclasses.replace(
            chunk,
            **{
                f: getattr(chunk, f)[a:b] for f in ("ts_us", "is_fill", "sym", "qty", "price_ticks", "fee_units", "row")
            },
            payouts=(),
        )
        yield part, int(chunk.ts_us[a])


def follow(
    run: Run, tail: Any, sidecars: Sidecars, *, stop: threading.Event, poll_s: float, once: bool = False
) -> None:
    """Poll the journal until `stop` is set (or, with `once`, until it has been read to its end)."""
    mon = run.monitor
    quiet_since = time.time()
    last_tick = 0.0
    while not stop.is_set():
        read_at = time.perf_counter()
        latency, degrades = sidecars.read()
        fed = False
        for chunk in tail.poll():
            mon.feed(chunk, read_at=read_at, latency=latency, degrades=degrades)
            latency, degrades, fed = None, (), True
        if latency is not None or degrades:
            mon.feed(None, latency=latency, degrades=degrades)
        now = time.time()
        if fed:
            quiet_since = now
        elif mon.state.last_ts_us is not None and now - last_tick >= 1.0:
            last_tick = now
            mon.tick(mon.state.last_ts_us + int((now - quiet_since) * 1e6))
        if once:
            return
        stop.wait(poll_s)
