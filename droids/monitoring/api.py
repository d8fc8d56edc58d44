"""What `droid monitor watch|replay|serve|status|report` and the "monitor-state" service call.

Each function raises `DroidError` (or the trading core's `TradingCoreError`) for bad input: exit 2,
one line. Delivery failures are not bad input: they are retried and stay in the outbox, which
`status` shows.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

from droids.monitoring import runner
from droids.monitoring.policy import load_monitoring_policy


def _journal(repo: Path, state_dir: Path, policies: Path, journal: Path | None) -> Path:
    from droids.core.errors import DroidError

    policy, _ = load_monitoring_policy(policies)
    found = runner.find_journal(repo, state_dir, policy, journal)
    if found is None:
        raise DroidError(
            "no journal: pass JOURNAL, set `journal:` in policies/monitoring.yaml, or run `droid sim run`"
            " (the newest .droid/**/journal.csv is used)"
        )
    return found


def replay(
    repo: Path,
    policies: Path,
    state_dir: Path,
    journal: Path | None,
    *,
    speed: float = 0.0,
    wait_s: float = 60.0,
    send: bool = True,
) -> dict[str, Any]:
    """Every alert the journal would have caused, sent through the configured channels."""
    from droids.monitoring.state.sidecars import Sidecars

    path = _journal(repo, state_dir, policies, journal)
    run = runner.build(repo, policies, state_dir, path, send=send)
    run.start_sender()
    started = time.perf_counter()
    policy = run.monitor.policy
    runner.replay(run, speed=speed, sidecars=Sidecars.beside(path, policy.latency.file))
    elapsed = time.perf_counter() - started
    run.finish(wait_s)
    return _result(run, elapsed)


def follow(
    repo: Path,
    policies: Path,
    state_dir: Path,
    journal: Path | None,
    *,
    serve: bool = False,
    port: int | None = None,
    once: bool = False,
    announce: Any = None,
) -> dict[str, Any]:
    """`watch` (and with `serve`, the dashboard too) until SIGINT/SIGTERM, or one pass with `once`."""
    from droids.monitoring.state.sidecars import Sidecars
    from droids.monitoring.state.tail import JournalTail

    path = _journal(repo, state_dir, policies, journal)
    board = server = None
    if serve:
        from droids.monitoring.dashboard.server import Board, DashboardServer

        board = Board()
    run = runner.build(
        repo,
        policies,
        state_dir,
        path,
        scope=f"watch:{path}",
        on_update=None if board is None else (lambda st: board.publish(st.as_dict())),
    )
    policy = run.monitor.policy
    if board is not None:
        board.publish(run.monitor.state.as_dict())
        server = DashboardServer(board, policy.dashboard.host, policy.dashboard.port if port is None else port)
        server.start()
    for note in run.notes:
        if announce:
            announce(note)
    if announce:
        announce(f"following {path}" + (f"; dashboard {server.url}" if server else ""))
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
    tail = JournalTail(path, run.monitor.apex.instruments, runner.monitor_dir(state_dir) / "scratch")
    run.start_sender()
    started = time.perf_counter()
    try:
        runner.follow(
            run, tail, Sidecars.beside(path, policy.latency.file), stop=stop, poll_s=policy.watch.poll_s, once=once
        )
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        tail.close()
        run.finish(10.0 if not once else 60.0)
        if server is not None:
            server.stop()
    return _result(run, time.perf_counter() - started)


def status(repo: Path, policies: Path, state_dir: Path, journal: Path | None) -> dict[str, Any]:
    """The account now (the journal read through, nothing sent) and the outbox."""
    path = _journal(repo, state_dir, policies, journal)
    from droids.monitoring.state.sidecars import Sidecars

    run = runner.build(repo, policies, state_dir, path, send=False, kill=False)
    runner.replay(run, sidecars=Sidecars.beside(path, run.monitor.policy.latency.file))
    state = run.monitor.state.as_dict()
    state["outbox"], state["undelivered"] = _outbox(state_dir)
    return state


def report(repo: Path, policies: Path, state_dir: Path, journal: Path | None, out_dir: Path) -> Path:
    """The dashboard page as one self-contained HTML file: `out_dir`/monitor.html."""
    from droids.core.errors import DroidError
    from droids.monitoring.dashboard.page import render_page

    state = status(repo, policies, state_dir, journal)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "monitor.html"
        target.write_text(render_page(state, live=False), encoding="utf-8")
    except OSError as exc:
        raise DroidError(f"--out {out_dir}: cannot write ({exc.strerror})") from None
    return target


def monitor_state(
    repo: Path, policies: Path, state_dir: Path | None = None, journal: Path | None = None
) -> dict[str, Any]:
    """The "monitor-state" service: equity, drawdown, distance to the threshold, open alerts (no series)."""
    state = status(repo, policies, state_dir or repo / ".droid", journal)
    state.pop("series", None)
    return state


def _outbox(state_dir: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    path = runner.monitor_dir(state_dir) / "outbox.sqlite"
    if not path.exists():
        return {}, []
    from droids.monitoring.alerts.outbox import Outbox

    box = Outbox(path)
    try:
        stuck = [
            {
                "id": m.id,
                "channel": m.channel,
                "to": m.target,
                "status": m.status,
                "title": m.title,
                "attempts": m.attempts,
                "error": m.last_error,
            }
            for status in ("failed", "unconfirmed", "pending")
            for m in box.messages(status=status, limit=10)
        ]
        return box.counts(), stuck
    finally:
        box.close()


def _result(run: runner.Run, elapsed: float) -> dict[str, Any]:
    mon = run.monitor
    state = mon.state.as_dict()
    state.pop("series", None)
    return {
        "journal": str(run.journal),
        "events": mon.tracker.events,
        "elapsed_s": round(elapsed, 3),
        "alerts": mon.decided,
        "pages": mon.episodes.pages,
        "outbox": mon.outbox.counts() if mon.outbox is not None else {},
        "notes": run.notes,
        "state": state,
    }
