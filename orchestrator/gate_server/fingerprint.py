"""A fingerprint of the installed droid, computed the same way by the client and the server.

A server that imported yesterday's code must not answer for today's: every file of the `droids`,
`orchestrator` and `trading_core` packages (path, size, modification time; byte-code caches left
out), the interpreter, and the modification time of each site-packages folder on the import path
(which changes when a package is installed, upgraded or removed there) go into one SHA-256. The
server computes it before importing anything, so an edit made while it loads reads as a mismatch.
About 275 files: a few milliseconds of stat calls. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

PACKAGES = ("droids", "orchestrator", "trading_core")
_SKIP = {"__pycache__"}


def package_parent() -> Path:
    """The folder holding droid's packages (site-packages, or the checkout of an editable install)."""
    return Path(__file__).resolve().parents[2]


def code_fingerprint(parent: Path | None = None) -> str:
    """The fingerprint of droid's packages under `parent` (default: where this module was imported from)."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0{os.path.realpath(sys.executable)}\0".encode())
    parent = package_parent() if parent is None else parent
    for package in PACKAGES:
        for path, size, mtime in _files(parent / package):
            digest.update(f"{path}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            try:
                digest.update(f"{entry}\0{os.stat(entry).st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
            except OSError:
                continue
    return digest.hexdigest()


def _files(root: Path) -> list[tuple[str, int, int]]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP)
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append((path, info.st_size, info.st_mtime_ns))
    return found
