"""Spread a long history over worker processes: each scans a contiguous slice of the commits.

Each worker runs its own `git log -p` on its slice and its own SEC001 engine, so the cores share
git's diffing as well as the scanning. A few commits (an incremental run) are scanned in this
process: a worker needs ~1 s to start (a fresh interpreter importing detect-secrets). Slices lose a
little deduplication (a line or blob seen in two slices is checked twice; the store keeps one).
Workers are started by SEC001's `secret_scan/pool.py` (fresh interpreters, never forks), each
running `collect` on its slice. If they fail, the scan falls back to this process and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from droids.core import pool
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
    workers = min(MAX_WORKERS, pool.available_cores())
    if workers < 2 or len(commits) < POOL_MIN_COMMITS:
        return collect(repo, commits, _Lookup(known), max_bytes), 1
    size = -(-len(commits) // workers)
    slices = [commits[i : i + size] for i in range(0, len(commits), size)]
    scanned = known.scanned()
    parts = pool.run_or_note(collect, [(repo, part, scanned, max_bytes) for part in slices], notes, "history scan")
    if parts is None:
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
