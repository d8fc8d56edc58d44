"""The change under review: which files it touches and their content before and after.

- staged (pre-commit): the index against HEAD (an unborn branch compares against nothing);
- base (CI): the work tree against the merge base of the base ref and HEAD, the same range
  `droid gate --base` covers;
- tree / paths (audit, ask, run): no change; `read_head` reads the work tree.

Unlike the task's target paths, the file list here keeps deletions and both sides of a rename:
deleting a protected file is a change to it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from droids.core import gitio
from droids.core.errors import DroidError
from droids.core.models import Task

_ENV = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def git(repo: Path, *args: str, check: bool = True) -> bytes:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=_ENV, check=False)
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DroidError(f"git {args[0]}: {err[-1] if err else 'failed'} (in {repo})")
    return proc.stdout


def git_text(repo: Path, *args: str, check: bool = True) -> str:
    return git(repo, *args, check=check).decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D, R, C or T (git's letters)
    path: str  # the path after the change (for a deletion: the deleted path)
    old_path: str  # the path before (differs from `path` for renames and copies)

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.old_path == self.path else (self.old_path, self.path)


@dataclass(frozen=True)
class ChangeView:
    repo: Path
    kind: str  # staged | base | tree | paths
    base_rev: str | None  # HEAD for staged (None when unborn), the merge base for base, else None

    @property
    def is_change(self) -> bool:
        return self.kind in ("staged", "base")

    @cached_property
    def files(self) -> tuple[FileChange, ...]:
        if self.kind == "staged":
            args = ["diff", "--cached", "-M", "--name-status", "-z"]
        elif self.kind == "base":
            args = ["diff", "-M", "--name-status", "-z", str(self.base_rev)]
        else:
            return ()
        parts = [p for p in git_text(self.repo, *args).split("\0") if p]
        out, i = [], 0
        while i < len(parts):
            status = parts[i][0]
            if status in "RC":
                out.append(FileChange(status, parts[i + 2], parts[i + 1]))
                i += 3
            else:
                out.append(FileChange(status, parts[i + 1], parts[i + 1]))
                i += 2
        return tuple(out)

    def read_base(self, path: str) -> bytes | None:
        """The file before the change (None when it did not exist or there is no change)."""
        if self.base_rev is None:
            return None
        proc = subprocess.run(
            ["git", "-C", str(self.repo), "cat-file", "blob", f"{self.base_rev}:{path}"],
            capture_output=True,
            env=_ENV,
            check=False,
        )
        return proc.stdout if proc.returncode == 0 else None

    def read_head(self, path: str) -> bytes | None:
        """The file after the change: the index blob when staged, else the work-tree file."""
        if self.kind == "staged":
            return next((content for _, content in gitio.read_staged(self.repo, [path])), None)
        try:
            return (self.repo / path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DroidError(f"{path}: cannot read ({exc.strerror or exc})") from None


def change_view(task: Task) -> ChangeView:
    kind = task.targets.kind
    if kind == "staged":
        return ChangeView(task.repo, kind, gitio.head(task.repo))
    if kind == "base":
        base = task.targets.base or "HEAD"
        merge_base = git_text(task.repo, "merge-base", base, "HEAD", check=False).strip()
        if not merge_base:
            raise DroidError(
                f"--base {base}: no merge base with HEAD in {task.repo}; a shallow clone cannot say who changed "
                "what (fetch the full history, e.g. actions/checkout with fetch-depth: 0)"
            )
        return ChangeView(task.repo, kind, merge_base)
    return ChangeView(task.repo, kind, None)


def repo_relative(task: Task, path: Path) -> str | None:
    """`path` relative to the repository, or None when it lies outside (e.g. --policies elsewhere)."""
    try:
        return path.resolve().relative_to(task.repo.resolve()).as_posix()
    except ValueError:
        return None
