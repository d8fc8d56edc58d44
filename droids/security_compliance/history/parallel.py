"""Spread a long history over worker processes: each scans a contiguous slice of the commits.

Each worker runs its own `git log -p` on its slice and its own SEC001 engine, so the cores share
git's diffing as well as the scanning. A few commits (an incremental run) are scanned in this
process: a worker needs ~1 s to start (a fresh interpreter importing detect-secrets). Slices lose a
little deduplication (a line or blob seen in two slices is checked twice; the store keeps one).
Workers are fresh interpreters, never forks, as in secret_scan/runner.py. If they fail, the scan
falls back to this process and says so.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from subprocess import PIPE
from typing import Protocol

from droids.security_compliance.history.collect import BlobKey, Collected, collect

POOL_MIN_COMMITS = 2000
MAX_WORKERS = 4


class KnownBlobs(Protocol):
    """The blobs scanned by earlier runs: looked up one by one, or loaded whole for the workers."""

    def is_scanned(self, key: BlobKey) -> bool: ...

    def scanned(self) -> set[BlobKey]: ...


class _Lookup:
    def __init__(self, known: KnownBlobs) -> None:
        self._known = known

    def __contains__(self, key: object) -> bool:
        return self._known.is_scanned(key)  # type: ignore[arg-type]


def collect_commits(
    repo: Path, commits: list[str], known: KnownBlobs, max_bytes: int, notes: list[str]
) -> tuple[Collected, int]:
    """Scan `commits` (oldest first); returns what was found and how many processes scanned."""
    workers = min(MAX_WORKERS, _available_cores())
    if workers < 2 or len(commits) < POOL_MIN_COMMITS:
        return collect(repo, commits, _Lookup(known), max_bytes), 1
    size = -(-len(commits) // workers)
    slices = [commits[i : i + size] for i in range(0, len(commits), size)]
    scanned = known.scanned()
    try:
        parts = _in_workers([(repo, part, scanned, max_bytes) for part in slices])
    except (OSError, RuntimeError, pickle.UnpicklingError, EOFError) as exc:
        notes.append(f"parallel history scan failed, scanned in one process instead ({exc})")
        return collect(repo, commits, scanned, max_bytes), 1
    return merge(parts), len(slices)


def merge(parts: list[Collected]) -> Collected:
    total = Collected()
    for part in parts:
        for name, value in vars(part).items():
            mine = getattr(total, name)
            if isinstance(value, int):
                setattr(total, name, mine + value)
            elif isinstance(value, set):
                mine |= value
            else:
                mine.extend(value)
    return total


def _available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use, not the machine's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_workers(jobs: list[tuple[object, ...]]) -> list[Collected]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = [sys.executable, "-m", "droids.security_compliance.history.worker"]
    procs = [subprocess.Popen(command, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=env) for _ in jobs]
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
