"""Scan many files: set aside what cannot hold text, reuse cached results, spread the rest.

A pre-commit run (a handful of staged files) is scanned in this process: starting workers costs
more than it saves, and a cache hit does not even import detect-secrets. A full-tree run over
more than `POOL_MIN_BYTES` of uncached text is spread over worker processes (one per available
core, up to `MAX_WORKERS`; `pool.py` starts them). If the workers fail, the scan falls back to
this process and says so.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core import pool
from droids.core.cache import CacheSpec, ResultCache, content_key
from droids.core.progress import Step, quiet_step
from droids.core.text import decode_text, is_binary, printable_strings
from droids.security_compliance.secrets.engine import LONG_LINE, WINDOW_STEP, FileScan, Hit

if TYPE_CHECKING:
    from droids.security_compliance.secrets.engine import SecretEngine
    from droids.security_compliance.secrets.gitleaks_config import CustomRules

MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are skipped with a note: generated data, not code
# A worker needs ~0.5 s to start (a fresh interpreter importing detect-secrets) and then scans
# ~2 MB/s; below this many uncached bytes one process is as fast.
POOL_MIN_BYTES = 1_000_000
MAX_WORKERS = 4
ENGINE_VERSION = "3"  # bump for a change outside this package that changes what a scan finds
_SOURCE = Path(__file__).parent  # this package: engine, filters, prefilter and SEC001's plugins


def _encode(scan: FileScan) -> str:
    hits = [[h.line, h.secret_type, h.hashed_secret, h.evidence, h.group, h.subrule] for h in scan.hits]
    return json.dumps(
        {"hits": hits, "filtered_by": scan.filtered_by, "long_lines": scan.long_lines, "lossy": scan.lossy}
    )


def _decode(text: str) -> FileScan:
    data = json.loads(text)
    return FileScan([Hit(*h) for h in data["hits"]], data["filtered_by"], data["long_lines"], data["lossy"])


# A row holds what a `FileScan` holds: line numbers, secret types, detect-secrets' SHA-1 of each
# secret and the redacted evidence; never a secret's value.
SCAN_CACHE = CacheSpec("sec001-scan.sqlite", _encode, _decode, label="scan", scanned="scanned")


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


def scan_files(
    items: Iterable[tuple[str, bytes]],
    cache_dir: Path | None,
    custom: CustomRules | None = None,
    step: Step = quiet_step,
    *,
    whole: bool = False,
) -> ScanOutcome:
    """Scan every (path, content) pair; results for cached contents come from `cache_dir`.
    `custom`: the repository's gitleaks rules, run too (their digest is part of the cache key).
    `step` hears how many files are done out of how many. A binary file is scanned as its
    printable strings (listed in `binary`); a file over `MAX_FILE_BYTES` is skipped with a note,
    unless `whole` (a gate: nothing it judges may pass unread)."""
    outcome = ScanOutcome()
    pending: dict[str, tuple[str, bytes]] = {}  # cache key -> (path, content)
    settings = settings_key() + (f";gitleaks={custom.digest}" if custom is not None else "")
    for path, content in items:
        outcome.bytes_total += len(content)
        if len(content) > MAX_FILE_BYTES and not whole:
            outcome.oversized.append(path)
        elif is_binary(content):
            outcome.binary.append(path)
            pending[content_key(settings, path, content)] = (path, printable_strings(content))
        else:
            pending[content_key(settings, path, content)] = (path, content)
    cache = ResultCache(SCAN_CACHE, cache_dir, outcome.notes)
    cached = cache.get_many(pending)
    for key, scan in cached.items():
        outcome.scans[pending.pop(key)[0]] = scan
    outcome.cache_hits = len(cached)
    total = len(outcome.scans) + len(pending)
    step(len(outcome.scans), total, "files")
    fresh = _scan_fresh(list(pending.items()), outcome, custom)
    step(total, total, "files")
    for key, scan in fresh.items():
        outcome.scans[pending[key][0]] = scan
    cache.save(fresh, touched=cached)
    return outcome


def _scan_fresh(
    work: list[tuple[str, tuple[str, bytes]]], outcome: ScanOutcome, custom: CustomRules | None = None
) -> dict[str, FileScan]:
    outcome.files_scanned = len(work)
    outcome.bytes_scanned = sum(len(content) for _, (_, content) in work)
    workers = min(MAX_WORKERS, pool.available_cores())
    if workers >= 2 and len(work) >= 2 and outcome.bytes_scanned >= POOL_MIN_BYTES:
        jobs = [(batch, custom) for batch in _batches(work, workers)]
        parts = pool.run_or_note(scan_batch, jobs, outcome.notes, "scan")
        if parts is not None:
            outcome.workers = workers
            return {key: scan for part in parts for key, scan in part.items()}
    return {key: scan_content(path, content, custom) for key, (path, content) in work}


def _batches(work: list[tuple[str, tuple[str, bytes]]], workers: int) -> list[list[tuple[str, str, bytes]]]:
    """Longest first into the lightest batch, so one big file does not leave a core idle at the end."""
    batches: list[list[tuple[str, str, bytes]]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for key, (path, content) in sorted(work, key=lambda item: -len(item[1][1])):
        lightest = loads.index(min(loads))
        batches[lightest].append((key, path, content))
        loads[lightest] += len(content) + 1
    return batches


def scan_batch(batch: list[tuple[str, str, bytes]], custom: CustomRules | None = None) -> dict[str, FileScan]:
    """A worker's work: scan (key, path, content) triples in this process."""
    return {key: scan_content(path, content, custom) for key, path, content in batch}


def scan_content(path: str, content: bytes, custom: CustomRules | None = None) -> FileScan:
    """Decode (by byte-order mark, stray NULs as spaces, never failing on bad UTF-8: droids.core.text),
    normalise newlines as `open()` does, and scan."""
    text, lossy = decode_text(content)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    scan = shared_engine().scan(path, text, custom)
    scan.lossy = lossy
    return scan


_engine_lock = threading.Lock()
_engine: SecretEngine | None = None


def shared_engine() -> SecretEngine:
    """This process's SEC001 engine (detect-secrets' plugins and filters plus SEC001's own), built
    on first use (~1 s) and shared by every caller and thread: SEC001's file scans, and SEC002's
    history scan, which feeds its added lines to the engine's `prefilter` before scanning."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from droids.security_compliance.secrets.engine import SecretEngine

            _engine = SecretEngine()
        return _engine


def secret_kinds(text: str) -> list[tuple[int, str]]:
    """The "secret-screen" service (droids call it through the registry): (1-based line, kind) of
    each secret SEC001's engine finds in `text`, one per secret, named after its most specific type
    as SEC001 names its finding (a quoted GitHub token is "GitHub Access Token", not also "Base64
    High Entropy String"). Used to refuse text bound for the audit trail or a model's prompt."""
    from droids.security_compliance.secrets.sec001_hardcoded_secret import naming_order

    by_value: dict[tuple[int, str], list[str]] = {}
    for hit in scan_content("screened.txt", text.encode()).hits:
        by_value.setdefault((hit.line, hit.group), []).append(hit.secret_type)
    return [(line, min(types, key=naming_order)) for (line, _), types in sorted(by_value.items())]
