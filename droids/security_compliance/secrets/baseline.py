"""`.secrets.baseline` at the repository root, in detect-secrets' own format.

Only its `results` are used: a secret listed there for the same file with the same `hashed_secret`
is known and accepted, so SEC001 reports it as suppressed. Its plugin and filter settings are not
applied (SEC001 always scans with detect-secrets' defaults). A file that is not a valid baseline
is bad input: one line naming the file and the problem, never a silent pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

BASELINE_NAME = ".secrets.baseline"


def load_baseline(repo: Path) -> dict[str, frozenset[str]]:
    """Accepted secrets: path -> hashed secrets. Empty when the repository has no baseline."""
    path = repo / BASELINE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DroidError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DroidError(f"{path}: not a detect-secrets baseline: the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise DroidError(f"{path}:{exc.lineno}: not a detect-secrets baseline: invalid JSON ({exc.msg})") from None
    return _accepted(path, data)


def _accepted(path: Path, data: Any) -> dict[str, frozenset[str]]:
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise DroidError(f"{path}: not a detect-secrets baseline: expected an object with a 'results' object")
    accepted: dict[str, frozenset[str]] = {}
    for filename, entries in results.items():
        if not isinstance(entries, list):
            raise DroidError(f"{path}: results.{filename}: expected a list of secrets")
        hashes = set()
        for i, entry in enumerate(entries):
            hashed = entry.get("hashed_secret") if isinstance(entry, dict) else None
            if not isinstance(hashed, str) or not hashed:
                raise DroidError(f"{path}: results.{filename}[{i}]: expected an object with a 'hashed_secret' string")
            hashes.add(hashed)
        accepted[filename.replace("\\", "/")] = frozenset(hashes)
    return accepted
