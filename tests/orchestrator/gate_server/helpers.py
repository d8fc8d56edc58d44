"""Run the real `droid` client (orchestrator.cli.entry) and find the servers it starts."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestrator.gate_server.place import socket_path
from tests.conftest import git
from tests.orchestrator.cli.helpers import Result

# As the `droid` script runs it: -P keeps the repository under review off the import path.
ENTRY = [sys.executable, "-P", "-m", "orchestrator.cli.entry"]
_PID = re.compile(r"gate server pid (\d+):")


def client_env(**extra: str) -> dict[str, str]:
    """The environment of a developer's shell: the server allowed, no CI, no team settings."""
    env = {**os.environ, "NO_COLOR": "1", "DROID_SERVER_IDLE": "120", **extra}
    for name in ("DROID_NO_SERVER", "CI", "GITHUB_ACTOR", "DROID_POLICIES", "DROID_AUDIT_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def gate(repo: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """`droid gate --staged ARGS` in `repo` through the client."""
    proc = subprocess.run(
        [*ENTRY, "gate", "--staged", *args],
        cwd=repo,
        env=env or client_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def in_process(repo: Path, *args: str) -> Result:
    """The same gate with the server turned off: the reference answer."""
    return gate(repo, *args, env=client_env(DROID_NO_SERVER="1"))


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def server_ready(repo: Path) -> bool:
    """True once the repository's server accepts connections."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(socket_path(str(repo)))
        except OSError:
            return False
    return True


def wait_for_server(repo: Path) -> None:
    wait_until(lambda: server_ready(repo), f"the gate server of {repo}")


def server_pids(repo: Path) -> list[int]:
    """Every server pid the repository's server log names (started by this test)."""
    log = repo / ".droid" / "server" / "server.log"
    return sorted({int(m) for m in _PID.findall(log.read_text())}) if log.exists() else []


def alive(pid: int, repo: Path) -> bool:
    """True while `pid` is a gate server of `repo` (not a recycled pid of something else)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return b"orchestrator.gate_server" in argv and str(repo).encode() in argv and state != "Z"


def stop_servers(repo: Path) -> None:
    """End the servers this test started (SIGTERM, then SIGKILL), by pid."""
    for pid in server_pids(repo):
        if alive(pid, repo):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for pid in server_pids(repo):
        while alive(pid, repo) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(pid, repo):
            os.kill(pid, signal.SIGKILL)


def stage(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", path)


def normalized(text: str) -> str:
    """Output with what differs between any two runs (durations) taken out."""
    return re.sub(r"\b\d+ ms\b", "N ms", text)
