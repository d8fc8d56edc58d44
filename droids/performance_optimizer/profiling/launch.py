"""Start the replay harness in a child process for the repository being measured.

The child imports droid from where it is installed and `trading_core` from the repository's governed
core (droids.core.governed), nothing else of the repository: a replay runs the governed code, which is
what this droid exists to measure, and the report says so."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
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
    from droids.core.governed import child_command

    cmd = child_command(
        MODULE,
        "--policies",
        str(policies),
        "--ticks",
        str(ticks),
        "--warmup",
        str(warmup),
    )
    cmd += ["--mode", mode, "--checkpoints", str(checkpoints)]
    return cmd + (["--out", str(out)] if out is not None else [])


def governed_env(repo: Path, work_dir: Path) -> dict[str, str]:
    """The child's environment: the repository's governed core first on its path (bad input when
    the repository has none: a replay of droid's own bundled core would answer another question)."""
    from droids.core.governed import NOT_APPLICABLE, child_env, core_import_dir
    from droids.core.settings import governed_core

    core = governed_core(repo)
    if core is None:
        raise DroidError(f"{repo}: profiling {NOT_APPLICABLE}")
    return child_env(core_import_dir(repo, core, work_dir))


def run_replay(repo: Path, cmd: list[str], mode: str, timeout_s: float, work_dir: Path) -> ReplayFailure | None:
    """Run `cmd` (a replay, possibly under py-spy) of `repo`'s governed core, in `work_dir`; None when
    it finished cleanly."""
    proc = subprocess.Popen(
        cmd,
        cwd=work_dir,
        env=governed_env(repo, work_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
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
