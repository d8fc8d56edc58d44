"""Scan many files: set aside what cannot hold text, reuse cached results, spread the rest.

A pre-commit run (a handful of staged files) is scanned in this process: starting workers costs
more than it saves, and a cache hit does not even import detect-secrets. A full-tree run over
more than `POOL_MIN_BYTES` of uncached text is spread over worker processes (one per available
core, up to `MAX_WORKERS`), started as fresh interpreters (`worker.py`), never forked: the
orchestrator may run droids in threads, and forking a threaded process can deadlock the child.
If the workers fail, the scan falls back to this process and says so.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from subprocess import PIPE
from typing import TYPE_CHECKING, Any

from droids.core.workspace import is_binary
from droids.security_compliance.secret_scan.engine import LONG_LINE, WINDOW_STEP, FileScan

if TYPE_CHECKING:
    from droids.security_compliance.secret_scan.cache import ScanCache
    from droids.security_compliance.secret_scan.engine import SecretEngine

MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are skipped with a note: generated data, not code
# A worker needs ~0.5 s to start (a fresh interpreter importing detect-secrets) and then scans
# ~2 MB/s; below this many uncached bytes one process is as fast.
POOL_MIN_BYTES = 1_000_000
MAX_WORKERS = 4
ENGINE_VERSION = "2"  # bump for a change outside this package that changes what a scan finds
_SOURCE = Path(__file__).parent  # this package: engine, filters, prefilter and SEC001's plugins

_engine_lock = threading.Lock()
_engine: SecretEngine | None = None


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
    notes: list[str] = field(default_factory=list)


def settings_key() -> str:
    """Everything besides a file's path and bytes that decides what its scan finds: detect-secrets'
    version, the window size, and the digest of this package's source, which holds the engine,
    SEC001's filters and its plugins (which plugins there are and what they match): editing or
    adding any of them invalidates the cache."""
    from importlib.metadata import version

    return (
        f"sec001/{ENGINE_VERSION};detect-secrets/{version('detect-secrets')};window={LONG_LINE}/{WINDOW_STEP}"
        f";source={source_digest()}"
    )


@cache
def source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(_SOURCE.rglob("*.py")):
        digest.update(path.relative_to(_SOURCE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def scan_files(items: Iterable[tuple[str, bytes]], cache_dir: Path | None) -> ScanOutcome:
    """Scan every (path, content) pair; results for cached contents come from `cache_dir`."""
    from droids.security_compliance.secret_scan.cache import content_key

    outcome = ScanOutcome()
    pending: dict[str, tuple[str, bytes]] = {}  # cache key -> (path, content)
    settings = settings_key()
    for path, content in items:
        outcome.bytes_total += len(content)
        if len(content) > MAX_FILE_BYTES:
            outcome.oversized.append(path)
        elif is_binary(content):
            outcome.binary.append(path)
        else:
            pending[content_key(settings, path, content)] = (path, content)
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
        outcome.notes.append(f"scan cache unusable, scanned without it ({exc})")
        return None
    if cache.reset:
        outcome.notes.append(f"scan cache {cache.path} was damaged and has been reset")
    return cache


def _cached(cache: ScanCache | None, pending: dict[str, Any], outcome: ScanOutcome) -> dict[str, FileScan]:
    import sqlite3

    if cache is None or not pending:
        return {}
    try:
        return cache.get_many(pending)
    except sqlite3.Error as exc:
        outcome.notes.append(f"scan cache unreadable, scanned without it ({exc})")
        return {}


def _store(cache: ScanCache, fresh: dict[str, FileScan], cached: dict[str, FileScan], outcome: ScanOutcome) -> None:
    import sqlite3

    try:
        cache.put_many(fresh, touched=cached)
        cache.prune()
        cache.close()
    except sqlite3.Error as exc:
        outcome.notes.append(f"scan results not cached ({exc})")


def _scan_fresh(work: list[tuple[str, tuple[str, bytes]]], outcome: ScanOutcome) -> dict[str, FileScan]:
    outcome.files_scanned = len(work)
    outcome.bytes_scanned = sum(len(content) for _, (_, content) in work)
    workers = min(MAX_WORKERS, _available_cores())
    if workers >= 2 and len(work) >= 2 and outcome.bytes_scanned >= POOL_MIN_BYTES:
        try:
            results = _scan_in_workers(work, workers)
        except (OSError, RuntimeError, pickle.UnpicklingError, EOFError) as exc:
            outcome.notes.append(f"parallel scan failed, scanned in one process instead ({exc})")
        else:
            outcome.workers = workers
            return results
    return {key: scan_content(path, content) for key, (path, content) in work}


def _available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use, not the machine's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _scan_in_workers(work: list[tuple[str, tuple[str, bytes]]], workers: int) -> dict[str, FileScan]:
    # Longest first into the lightest batch, so one big file does not leave a core idle at the end.
    batches: list[list[tuple[str, str, bytes]]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for key, (path, content) in sorted(work, key=lambda item: -len(item[1][1])):
        lightest = loads.index(min(loads))
        batches[lightest].append((key, path, content))
        loads[lightest] += len(content) + 1
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = [sys.executable, "-m", "droids.security_compliance.secret_scan.worker"]
    procs = [subprocess.Popen(command, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=env) for _ in batches]
    outputs: list[tuple[bytes, bytes]] = [(b"", b"")] * len(procs)

    def talk(i: int) -> None:  # one thread per worker, so all of them are fed at once
        outputs[i] = procs[i].communicate(pickle.dumps(batches[i], protocol=pickle.HIGHEST_PROTOCOL))

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(len(procs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results: dict[str, FileScan] = {}
    for proc, (out, err) in zip(procs, outputs, strict=True):
        if proc.returncode != 0:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise RuntimeError(f"worker failed: {last[0]}")
        results.update(pickle.loads(out))  # noqa: S301 - written by our own worker process
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
