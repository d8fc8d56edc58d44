"""Read the content a task covers: index blobs for `--staged`, work-tree files otherwise.

A pre-commit gate must judge what will be committed, not what happens to be on disk, so staged
content always comes from the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from droids.core import gitio
from droids.core.models import Task


def iter_contents(task: Task, paths: tuple[str, ...] | None = None) -> Iterator[tuple[str, bytes | OSError]]:
    """Yield (path, bytes) for each target path; an unreadable file yields its OSError instead."""
    wanted = task.targets.paths if paths is None else paths
    if task.targets.kind == "staged":
        yield from gitio.read_staged(task.repo, wanted)
        return
    for rel in wanted:
        try:
            yield rel, (task.repo / rel).read_bytes()
        except OSError as exc:
            yield rel, exc


def is_binary(content: bytes) -> bool:
    """Git's own heuristic: a NUL byte in the first 8000 bytes means binary."""
    return b"\0" in content[:8000]


def relative(repo: Path, path: Path) -> str:
    return path.resolve().relative_to(repo.resolve()).as_posix()
