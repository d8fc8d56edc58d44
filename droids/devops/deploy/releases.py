"""Releases: the files of one commit, exported once into `.droid/deploy/releases/<sha12>/`.

Each version runs from its own immutable copy (blue-green needs both versions' code at once), read
from git objects through droids.core.git.export_tree (no filter or hook of the repository runs).
Older releases beyond `keep_releases` are removed, never one a running version uses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from droids.core import git
from droids.core.errors import DroidError


def resolve(repo: Path, rev: str) -> str:
    commit = git.try_text(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    if not commit:
        raise DroidError(f"--version {rev}: no such commit in {repo}")
    return commit


def export(repo: Path, root: Path, commit: str) -> Path:
    """The release folder of `commit`, exported on first use."""
    dest = root / commit[:12]
    if (dest / ".complete").is_file():
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    tmp = root / f".{commit[:12]}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    git.export_tree(repo, commit, tmp)
    (tmp / ".complete").write_text(commit)
    tmp.rename(dest)
    return dest


def prune(root: Path, keep: int, in_use: set[str]) -> list[str]:
    """Remove the oldest releases beyond `keep` (by export time), sparing those `in_use`."""
    found = sorted((p for p in root.glob("*") if (p / ".complete").is_file()), key=lambda p: p.stat().st_mtime)
    removed = []
    for path in found[: max(0, len(found) - keep)]:
        if path.name not in in_use:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed
