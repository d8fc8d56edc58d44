"""The change under review, as every check sees it: the files it touches, each file before and
after, and the lines it added or modified.

- staged (pre-commit): the index against HEAD (an unborn branch compares against nothing);
- base (CI): the work tree against the merge base of the base ref and HEAD, the range
  `droid gate --base` covers;
- tree / paths (audit, ask, run): no change; `read_head` reads the work tree.

One view per run, owned by the run's `Workspace`: git is asked once for the file list (usually
already on the task's targets), "before" contents go through the run's one `cat-file --batch`
process, and the changed lines of every file come from one `git diff -U0`, however many checks ask.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path

from droids.core import git
from droids.core.errors import DroidError
from droids.core.models import FileChange, Task
from droids.core.targets import changes_of

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class ChangeView:
    def __init__(self, task: Task, read_head: Callable[[str], bytes | None], objects: git.BatchReader) -> None:
        self.repo = task.repo
        self._objects = objects
        self.kind = task.targets.kind
        self._targets = task.targets
        self._read_head = read_head
        self._lock = threading.Lock()
        self._before: dict[str, bytes] | None = None

    @property
    def is_change(self) -> bool:
        return self.kind in ("staged", "base")

    @cached_property
    def base_rev(self) -> str | None:
        """HEAD for staged (None when unborn), the merge base for base, else None."""
        if self._targets.base_commit is not None or not self.is_change:
            return self._targets.base_commit
        if self.kind == "staged":
            return git.head(self.repo)
        return git.merge_base(self.repo, self._targets.base or "HEAD")

    @cached_property
    def files(self) -> tuple[FileChange, ...]:
        if not self.is_change:
            return ()
        if self._targets.changes is not None:
            return self._targets.changes
        return changes_of(self.repo, staged=self.kind == "staged", against=self.base_rev)

    def read_base(self, path: str) -> bytes | None:
        """The file before the change (None when it did not exist or there is no change)."""
        if self.base_rev is None:
            return None
        with self._lock:
            if self._before is None:
                wanted = {old for c in self.files for old in (c.old_path, c.path)}
                specs = {f"{self.base_rev}:{p}": p for p in sorted(wanted)}
                self._before = {specs[s]: c for s, c in self._objects.read(specs).items()}
            if path not in self._before:  # a path outside the change list: asked on its own
                found = self._objects.read([f"{self.base_rev}:{path}"])
                self._before[path] = next(iter(found.values()), None)  # type: ignore[assignment]
            return self._before[path]

    def read_head(self, path: str) -> bytes | None:
        """The file after the change: the index blob when staged, else the work-tree file."""
        return self._read_head(path)

    @cached_property
    def added_lines(self) -> dict[str, frozenset[int]]:
        """Path -> 1-based line numbers the change added or modified (in the file after the change).

        A file the change adds has every line; a file absent here has no added line."""
        if not self.is_change:
            return {}
        against = self.base_rev or git.EMPTY_TREE_SHA1
        args = ["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--src-prefix=a/"]
        args += ["--dst-prefix=b/", *(["--cached"] if self.kind == "staged" else []), against, "--"]
        out = git.run(self.repo, *args, *_literal(c.path for c in self.files), worktree=self.kind != "staged")
        return parse_added_lines(out)


def _literal(paths: Iterable[str]) -> list[str]:
    return [f":(literal){p}" for p in paths]


def parse_added_lines(diff: bytes) -> dict[str, frozenset[int]]:
    """The added line numbers per file of a `git diff -U0 --no-renames` output."""
    added: dict[str, set[int]] = {}
    current: set[int] | None = None
    for raw in diff.split(b"\n"):
        if raw.startswith(b"+++ "):
            target = raw[4:]
            current = None if target == b"/dev/null" else added.setdefault(_path(target)[2:], set())
        elif raw.startswith(b"@@") and current is not None:
            match = _HUNK.match(raw)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or b"1")
                current.update(range(start, start + count))
    return {p: frozenset(lines) for p, lines in added.items()}


def _path(raw: bytes) -> str:
    return git.decode_path(git.unquote(raw.rstrip(b"\t")))


def repo_relative(task: Task, path: Path) -> str | None:
    """`path` relative to the repository, or None when it lies outside (e.g. --policies elsewhere)."""
    try:
        return path.resolve().relative_to(task.repo.resolve()).as_posix()
    except ValueError:
        return None


def not_readable(path: str, exc: OSError) -> DroidError:
    return DroidError(f"{path}: cannot read ({exc.strerror or exc})")
