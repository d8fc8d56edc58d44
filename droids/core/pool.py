"""Run a scan's work in worker processes, one job each, or say why it could not and let the caller
do the work itself.

SEC001's tree scan (`runner.py`) and SEC002's history scan (`history/parallel.py`) share this: each
passes its own work function (a module-level function) and one argument tuple per worker, and
decides itself when a pool is worth starting and how to merge what comes back.

Workers are fresh interpreters started with `python -m` on this module, never forks: the
orchestrator may run droids in threads, and forking a threaded process can deadlock the child.
Not through `multiprocessing` either: a spawned multiprocessing child re-runs the parent's
`__main__` script, so a host program without an `if __name__ == "__main__"` guard would break the
pool; a plain subprocess depends on nothing but this module. A worker reads its pickled job on
stdin and writes the pickled result on stdout; only this package's own processes exchange these
pickles, and no secret value crosses the pipe (results hold hashes and redacted evidence).

This module imports only the standard library; a worker still loads the package it lives in and
its work function's module (~0.3-0.5 s), which is why callers start a pool only for large inputs.
"""

from __future__ import annotations

import importlib
import os
import pickle  # nosec B403: only this package's own parent and worker processes exchange pickles
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from subprocess import PIPE
from typing import Any

# What a worker that crashed, could not start or wrote garbage raises on the parent's side.
WORKER_FAILURES = (OSError, RuntimeError, pickle.UnpicklingError, EOFError)


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use, not the machine's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_or_note(
    work: Callable[..., Any], jobs: Sequence[tuple[object, ...]], notes: list[str], what: str
) -> list[Any] | None:
    """`run_in_workers`, or None with the note "parallel <what> failed, scanned in one process
    instead (why)" when a worker fails: the caller then does the work in this process."""
    try:
        return run_in_workers(work, jobs)
    except WORKER_FAILURES as exc:
        notes.append(f"parallel {what} failed, scanned in one process instead ({exc})")
        return None


def run_in_workers(work: Callable[..., Any], jobs: Sequence[tuple[object, ...]]) -> list[Any]:
    """`work(*job)` for every job, each in its own worker process, all at once; results in job order.

    Raises one of `WORKER_FAILURES` when a worker fails (its last stderr line says why).
    """
    target = f"{work.__module__}:{work.__qualname__}"
    if "<" in target:  # a lambda or a nested function: a worker cannot import it
        raise ValueError(f"a worker's work must be a module-level function, not {target}")
    from droids.core.governed import child_env

    # -P and a neutral working folder: a worker imports droid from where the parent found it, never
    # a `droids/` or `sitecustomize.py` of the repository under review (the cwd of the parent).
    command = [sys.executable, "-P", "-m", __name__, target]
    env, cwd = child_env(None), tempfile.gettempdir()
    procs = [subprocess.Popen(command, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=env, cwd=cwd) for _ in jobs]
    outputs: list[tuple[bytes, bytes]] = [(b"", b"")] * len(procs)

    def talk(i: int) -> None:  # one thread per worker, so all of them are fed at once
        outputs[i] = procs[i].communicate(pickle.dumps(jobs[i], protocol=pickle.HIGHEST_PROTOCOL))

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(len(procs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        if proc.returncode != 0:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise RuntimeError(f"worker failed: {last[0]}")
        results.append(pickle.loads(out))  # noqa: S301 - written by our own worker process
    return results


def _serve(target: str) -> None:
    """A worker: `target` ("module:function") applied to the job on stdin, the result to stdout."""
    module, _, name = target.partition(":")
    work = getattr(importlib.import_module(module), name)
    job = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our own parent process
    pickle.dump(work(*job), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
