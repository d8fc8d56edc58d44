"""The processes a deploy starts and stops (the proxy and one service per version), and HTTP on
127.0.0.1 to them.

Processes are started in their own session (they outlive `droid deploy`, which is the point) with
their output in a log file beside the state. A process is stopped by its recorded pid only after
/proc confirms it is still the process droid started (its command line carries the marker), so a
recycled pid is never signalled.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.pids import pid_alive


def spawn(argv: Sequence[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None) -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, *argv],
            cwd=cwd,
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    return proc.pid


def wait_for_port(port_file: Path, pid: int, timeout_s: float, log: Path) -> int:
    """The port a started process wrote once listening; it died or timed out: DroidError with its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if port_file.is_file():
            return int(port_file.read_text())
        if not alive(pid):
            raise DroidError(f"process {pid} exited before listening: {last_line(log)}")
        time.sleep(0.05)
    raise DroidError(f"process {pid} did not listen within {timeout_s:.0f} s (log: {log})")


def last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return "(no log)"
    return lines[-1][:300] if lines else "(empty log)"


def alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # our own child: reap it if it exited
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    return pid_alive(pid)


def ours(pid: int, marker: str) -> bool:
    """Is `pid` still the process we started (its command line holds `marker`)?"""
    try:
        return marker in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return False


def stop(pid: int | None, marker: str, timeout_s: float = 5.0) -> bool:
    """SIGTERM (then SIGKILL after `timeout_s`) to `pid` if it is still ours; True when it is gone."""
    if not pid or not alive(pid) or not ours(pid, marker):
        return True
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return not alive(pid)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout_s: float = 5.0,
) -> tuple[int, Any]:
    """(status, decoded JSON or None) of one request to 127.0.0.1:port; no answer: OSError."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
    except http.client.HTTPException as exc:
        raise OSError(str(exc)) from None
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, None
