"""Build a run's `Targets`: what a change touches, asked of git once, so no check asks again.

- `staged_targets`: the index against HEAD (pre-commit);
- `base_targets`: the work tree against the merge base of a ref and HEAD (CI);
- `tree_targets`: every tracked file (audit); `path_targets`: given files.
The target `paths` of a change are the files it adds, copies, modifies or renames (deleted files
have nothing to scan); `changes` keeps deletions and both sides of a rename, since deleting a
protected file is a change to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from droids.core import git
from droids.core.models import FileChange, Targets

SCANNED_STATUSES = frozenset("ACMR")


def changes_of(repo: Path, *, staged: bool, against: str | None) -> tuple[FileChange, ...]:
    return tuple(
        FileChange(status=status, path=path, old_path=old)
        for status, path, old in git.name_status(repo, staged=staged, against=against)
    )


def _scanned(changes: Sequence[FileChange]) -> tuple[str, ...]:
    return tuple(c.path for c in changes if c.status in SCANNED_STATUSES)


def staged_targets(repo: Path) -> Targets:
    head = git.require_repo(repo, "--staged")
    changes = changes_of(repo, staged=True, against=head)
    return Targets(kind="staged", paths=_scanned(changes), base_commit=head, head=head, changes=changes)


def base_targets(repo: Path, base: str) -> Targets:
    head = git.require_repo(repo, "--base")
    merge_base = git.merge_base(repo, base)
    changes = changes_of(repo, staged=False, against=merge_base)
    return Targets(kind="base", base=base, paths=_scanned(changes), base_commit=merge_base, head=head, changes=changes)


def tree_targets(repo: Path) -> Targets:
    return Targets(kind="tree", paths=tuple(git.tracked_paths(repo)))


def path_targets(paths: Sequence[str]) -> Targets:
    return Targets(kind="paths", paths=tuple(paths))
