"""SEC010's results for a set of files: cached ones from the cache, the rest from one bandit run."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from droids.security_compliance.sast.bandit_scan import BanditSettings, RawIssue, scan
from droids.security_compliance.sast.cache import BanditCache, FileResult
from droids.security_compliance.secret_scan.cache import content_key  # one content key for both caches


@dataclass
class Results:
    issues: list[RawIssue] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    nosec: int = 0
    cache_hits: int = 0
    notes: list[str] = field(default_factory=list)


def analyse(files: Sequence[tuple[str, bytes]], settings: BanditSettings, cache_dir: Path | None) -> Results:
    results = Results()
    settings_key = settings.key()
    keys = {path: content_key(settings_key, path, content) for path, content in files}
    cache = _open(cache_dir, results)
    cached: dict[str, FileResult] = {}
    if cache is not None:
        try:
            cached = cache.get_many(keys.values())
        except sqlite3.Error as exc:
            results.notes.append(f"SEC010: result cache unreadable, analysed without it ({exc})")
    missing = [(path, content) for path, content in files if keys[path] not in cached]
    outcome = scan(missing, settings)
    fresh = {
        keys[path]: FileResult(
            [i for i in outcome.issues if i.path == path], outcome.skipped.get(path), outcome.nosec.get(path, 0)
        )
        for path, _ in missing
    }
    for path, _ in files:
        row = cached.get(keys[path]) or fresh[keys[path]]
        results.issues += row.issues
        results.nosec += row.nosec
        if row.skipped:
            results.skipped[path] = row.skipped
    results.cache_hits = len(files) - len(missing)
    if cache is not None:
        try:
            cache.put_many(fresh, touched=[keys[p] for p, _ in files if keys[p] in cached])
            cache.close()
        except sqlite3.Error as exc:
            results.notes.append(f"SEC010: results not cached ({exc})")
    return results


def _open(cache_dir: Path | None, results: Results) -> BanditCache | None:
    if cache_dir is None:
        return None
    try:
        cache = BanditCache(cache_dir)
    except (sqlite3.Error, OSError) as exc:
        results.notes.append(f"SEC010: result cache unusable, analysed without it ({exc})")
        return None
    if cache.reset:
        results.notes.append(f"SEC010: result cache {cache.path} was damaged and has been reset")
    return cache
