"""Scan many files: set aside what cannot hold text, reuse cached results, spread the rest.

A pre-commit run (a handful of staged files) is scanned in this process: starting a pool costs
more than it saves, and a cache hit does not even import detect-secrets. A full-tree run over
more than `POOL_MIN_BYTES` of uncached text is spread over a process pool (one worker per
available core, up to `MAX_WORKERS`). Workers are spawned, not forked: the orchestrator may run
droids in threads, and forking a threaded process can deadlock the child.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from droids.core.workspace import is_binary
from droids.security_compliance.secret_scan.engine import LONG_LINE, WINDOW_STEP, FileScan

if TYPE_CHECKING:
    from droids.security_compliance.secret_scan.cache import ScanCache
    from droids.security_compliance.secret_scan.engine import SecretEngine

MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are skipped with a note: generated data, not code
POOL_MIN_BYTES = 1_500_000  # below this a pool's start-up (~0.3 s) outweighs what it saves
MAX_WORKERS = 4
ENGINE_VERSION = "1"  # bump when a change to this package changes what a scan finds

_engine_lock = threading.Lock()
_engine = None


@dataclass
class ScanOutcome:
    scans: dict[str, FileScan] = field(default_factory=dict)
    binary: list[str] = field(default_factory=list)
    oversized: list[str] = field(default_factory=list)
    bytes_total: int = 0
    bytes_scanned: int = 0
    files_scanned: int = 0
    cache_hits: int = 0
    workers: int = 1
    cache_note: str | None = None


def settings_key() -> str:
    """Everything besides a file's path and bytes that decides what its scan finds."""
    from importlib.metadata import version

    return f"sec001/{ENGINE_VERSION};detect-secrets/{version('detect-secrets')};window={LONG_LINE}/{WINDOW_STEP}"


def scan_files(items: Iterable[tuple[str, bytes]], cache_dir: Path | None) -> ScanOutcome:
    """Scan every (path, content) pair; results for cached contents come from `cache_dir`."""
    from droids.security_compliance.secret_scan.cache import content_key

    outcome = ScanOutcome()
    pending: dict[str, tuple[str, bytes]] = {}  # cache key -> (path, content)
    keys: dict[str, str] = {}
    settings = settings_key()
    for path, content in items:
        outcome.bytes_total += len(content)
        if len(content) > MAX_FILE_BYTES:
            outcome.oversized.append(path)
        elif is_binary(content):
            outcome.binary.append(path)
        else:
            keys[path] = key = content_key(settings, path, content)
            pending[key] = (path, content)
    cache = _open_cache(cache_dir, outcome)
    cached = _cached(cache, pending, outcome)
    for key, scan in cached.items():
        outcome.scans[pending.pop(key)[0]] = scan
    outcome.cache_hits = len(cached)
    fresh = _scan_fresh(list(pending.items()), outcome)
    for key, scan in fresh.items():
        outcome.scans[pending[key][0]] = scan
    if cache is not None:
        _store(cache, fresh, cached, outcome)
    return outcome


def _open_cache(cache_dir: Path | None, outcome: ScanOutcome) -> ScanCache | None:
    import sqlite3

    from droids.security_compliance.secret_scan.cache import ScanCache

    if cache_dir is None:
        return None
    try:
        cache = ScanCache(cache_dir)
    except (sqlite3.Error, OSError) as exc:
        outcome.cache_note = f"scan cache unusable, scanned without it ({exc})"
        return None
    if cache.reset:
        outcome.cache_note = f"scan cache {cache.path} was damaged and has been reset"
    return cache


def _cached(cache: ScanCache | None, pending: dict[str, Any], outcome: ScanOutcome) -> dict[str, FileScan]:
    import sqlite3

    if cache is None or not pending:
        return {}
    try:
        return cache.get_many(pending)
    except sqlite3.Error as exc:
        outcome.cache_note = f"scan cache unreadable, scanned without it ({exc})"
        return {}


def _store(cache: ScanCache, fresh: dict[str, FileScan], cached: dict[str, FileScan], outcome: ScanOutcome) -> None:
    import sqlite3

    try:
        cache.put_many(fresh, touched=cached)
        cache.close()
    except sqlite3.Error as exc:
        outcome.cache_note = f"scan results not cached ({exc})"


def _scan_fresh(work: list[tuple[str, tuple[str, bytes]]], outcome: ScanOutcome) -> dict[str, FileScan]:
    outcome.files_scanned = len(work)
    outcome.bytes_scanned = sum(len(content) for _, (_, content) in work)
    workers = min(MAX_WORKERS, _available_cores())
    if workers < 2 or len(work) < 2 or outcome.bytes_scanned < POOL_MIN_BYTES:
        return {key: scan_content(path, content) for key, (path, content) in work}
    outcome.workers = workers
    return _scan_in_pool(work, workers)


def _available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use, not the machine's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _scan_in_pool(work: list[tuple[str, tuple[str, bytes]]], workers: int) -> dict[str, FileScan]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Longest first into the lightest batch, so one big file does not leave a core idle at the end.
    batches: list[list[tuple[str, str, bytes]]] = [[] for _ in range(workers * 4)]
    loads = [0] * len(batches)
    for key, (path, content) in sorted(work, key=lambda item: -len(item[1][1])):
        lightest = loads.index(min(loads))
        batches[lightest].append((key, path, content))
        loads[lightest] += len(content) + 1
    results: dict[str, FileScan] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for done in pool.map(scan_batch, [b for b in batches if b]):
            results.update(done)
    return results


def scan_batch(batch: list[tuple[str, str, bytes]]) -> dict[str, FileScan]:
    """Worker entry point: scan (key, path, content) triples in this process."""
    return {key: scan_content(path, content) for key, path, content in batch}


def scan_content(path: str, content: bytes) -> FileScan:
    """Decode (never failing on bad UTF-8), normalise newlines as `open()` does, and scan."""
    try:
        text, lossy = content.decode("utf-8"), False
    except UnicodeDecodeError:
        text, lossy = content.decode("utf-8", errors="replace"), True
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    scan = _get_engine().scan(path, text)
    scan.lossy = lossy
    return scan


def _get_engine() -> SecretEngine:
    global _engine
    with _engine_lock:
        if _engine is None:
            from droids.security_compliance.secret_scan.engine import SecretEngine

            _engine = SecretEngine()
        return _engine
