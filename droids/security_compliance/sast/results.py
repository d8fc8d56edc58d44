"""SEC010's results for a set of files: cached ones from the cache, the rest from one bandit run.

The cache (`sec010-bandit.sqlite`, see secret_scan/cache.py) is keyed by bandit's settings
(`BanditSettings.key`: version, profile, [tool.bandit]), the path and the bytes. A row holds the
file's issues as plain data (no source text), the reason bandit skipped it and its `# nosec` count.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from droids.core.cache import CacheSpec, ResultCache, content_key
from droids.security_compliance.sast.bandit_scan import BanditSettings, RawIssue, scan


@dataclass(frozen=True)
class FileResult:
    issues: list[RawIssue]
    skipped: str | None  # why bandit could not analyse the file
    nosec: int  # results accepted with `# nosec`


def _encode(row: FileResult) -> str:
    return json.dumps({"issues": [asdict(i) for i in row.issues], "skipped": row.skipped, "nosec": row.nosec})


def _decode(text: str) -> FileResult:
    data = json.loads(text)
    return FileResult([RawIssue(**i) for i in data["issues"]], data["skipped"], int(data["nosec"]))


BANDIT_CACHE = CacheSpec("sec010-bandit.sqlite", _encode, _decode, label="SEC010: bandit", scanned="analysed")


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
    cache = ResultCache(BANDIT_CACHE, cache_dir, results.notes)
    cached = cache.get_many(keys.values())
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
    cache.save(fresh, touched=[keys[p] for p, _ in files if keys[p] in cached])
    return results
