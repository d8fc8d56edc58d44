"""Start the replay harness in a child process for the repository being measured."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from droids.core.errors import DroidError

MODULE = "droids.performance_optimizer.profiling.replay"
_BAD_INPUT = 2


@dataclass(frozen=True)
class ReplayFailure:
    """The replay could not finish: the pipeline raised (`crashed`) or ran past its limit (`hung`)."""

    mode: str
    outcome: str
    detail: str


def replay_command(
    policies: Path, mode: str, ticks: int, *, warmup: int, out: Path | None, checkpoints: int = 10
) -> list[str]:
    cmd = [sys.executable, "-m", MODULE, "--policies", str(policies), "--ticks", str(ticks), "--warmup", str(warmup)]
    cmd += ["--mode", mode, "--checkpoints", str(checkpoints)]
    return cmd + (["--out", str(out)] if out is not None else [])


def child_env(repo: Path) -> dict[str, str]:
    path = os.pathsep.join([str(repo), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


def run_replay(repo: Path, cmd: list[str], mode: str, timeout_s: float) -> ReplayFailure | None:
    """Run `cmd` (a replay, possibly under py-spy) in `repo`; None when it finished cleanly."""
    proc = subprocess.Popen(
        cmd, cwd=repo, env=child_env(repo), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return ReplayFailure(mode, "hung", f"still running after {timeout_s:g} s; killed")
    text = err.decode("utf-8", "replace").strip()
    if proc.returncode == _BAD_INPUT:
        raise DroidError(text.splitlines()[-1] if text else f"{mode} replay: bad input")
    if proc.returncode != 0:
        last = text.splitlines()[-1] if text else f"exit code {proc.returncode}"
        return ReplayFailure(mode, "crashed", last[:400])
    return None
