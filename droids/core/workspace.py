"""One workspace per run: what the checks of every droid read, read once and shared.

A pre-commit gate must judge what will be committed, not what happens to be on disk, so staged
content comes from the index (one `git cat-file --batch` for every target), anything else from the
work tree. Python files are parsed once (`python_modules`); the change under review (files before
and after, added lines) is `change`. Droids run in parallel threads, so filling the caches is
locked; reading them is not.

Memory: contents are kept for the run (work-tree files over `MAX_KEPT_BYTES` are read again when
asked, not kept), and parsed trees of Python files for the run too: one parse per file is the point.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from droids.core import git
from droids.core.change import ChangeView, not_readable
from droids.core.models import Task
from droids.core.python_source import PythonModule, parse_module

MAX_KEPT_BYTES = 2 * 1024 * 1024
T = TypeVar("T")


class Workspace:
    def __init__(self, task: Task) -> None:
        self.task = task
        self._lock = threading.RLock()  # `shared` computations read contents under it
        self._contents: dict[str, bytes | OSError] = {}
        self._modules: dict[str, PythonModule | str] = {}  # path -> module, or where it fails to parse
        self._shared: dict[str, Any] = {}
        self.objects = git.BatchReader(task.repo)  # every index and base read of the run: one process

    @property
    def staged(self) -> bool:
        return self.task.targets.kind == "staged"

    def contents(self, paths: Iterable[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """(path, bytes) of each path (default: the task's targets); an unreadable one is bad input."""
        for path, content in self.raw_contents(paths):
            if isinstance(content, OSError):
                raise not_readable(path, content)
            yield path, content

    def raw_contents(self, paths: Iterable[str] | None = None) -> Iterator[tuple[str, bytes | OSError]]:
        """Like `contents`, but an unreadable file yields its OSError; a staged path missing from
        the index is left out."""
        wanted = list(self.task.targets.paths if paths is None else paths)
        self._fill(wanted)
        for path in wanted:
            content = self._contents.get(path)
            if content is None and not self.staged:
                content = self._read_file(path)
            if content is not None:
                yield path, content

    def content(self, path: str) -> bytes | None:
        """One file's bytes, or None when it does not exist (in the index, for a staged run)."""
        for _, content in self.raw_contents([path]):
            if isinstance(content, FileNotFoundError):
                return None
            if isinstance(content, OSError):
                raise not_readable(path, content)
            return content
        return None

    def content_if_present(self, path: str) -> bytes | None:
        """One file's bytes, or None when it is absent or unreadable (for optional reads)."""
        for _, content in self.raw_contents([path]):
            return None if isinstance(content, OSError) else content
        return None

    def _fill(self, paths: list[str]) -> None:
        with self._lock:
            missing = [p for p in paths if p not in self._contents]
            if not missing:
                return
            if self.staged:  # the index: one process for every path, every blob kept
                found = self.objects.read(f":{p}" for p in missing)
                self._contents.update((p, found[f":{p}"]) for p in missing if f":{p}" in found)
                return
            for path in missing:
                content = self._read_file(path)
                if isinstance(content, OSError) or len(content) <= MAX_KEPT_BYTES:
                    self._contents[path] = content

    def _read_file(self, path: str) -> bytes | OSError:
        """The work tree's bytes of `path`. A symbolic link is read as git stores it, as the name of
        its target, never followed: no check reads outside the repository."""
        full = self.task.repo / path
        try:
            if full.is_symlink():
                return os.fsencode(full.readlink())
            if not full.resolve().is_relative_to(self._root):  # a folder on the way is a link outside
                return PermissionError(f"{path} leads outside the repository; not read")
            return full.read_bytes()
        except OSError as exc:
            return exc

    @cached_property
    def _root(self) -> Path:
        return self.task.repo.resolve()

    def python_modules(self, paths: Iterable[str], unparsable: list[str]) -> Iterator[PythonModule]:
        """Each parsable Python module among `paths`; "path:line" of each that does not parse is
        appended to `unparsable`. Trees are shared by every check: read them, never change them."""
        for path, content in self.contents(paths):
            module = self.python_module(path, content)
            if isinstance(module, str):
                unparsable.append(module)
            else:
                yield module

    def python_module(self, path: str, content: bytes) -> PythonModule | str:
        """`path` parsed once per run, or "path:line" where it does not parse."""
        module = self._modules.get(path)
        if module is None:
            module = self._modules[path] = parse_module(path, content)
        return module

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per run under `key` (e.g. a result two checks need), then the same value.
        Keys are namespaced by the droid that owns them ("compliance.apex_limits")."""
        with self._lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]

    @cached_property
    def change(self) -> ChangeView:
        return ChangeView(self.task, self._head_content, self.objects)

    def close(self) -> None:
        """End the run's git reader (a finalizer does it for a workspace that is dropped)."""
        self.objects.close()

    def _head_content(self, path: str) -> bytes | None:
        if self.staged:
            return self.content(path)
        content = self._read_file(path)
        if isinstance(content, FileNotFoundError):
            return None
        if isinstance(content, OSError):
            raise not_readable(path, content)
        return content


def is_binary(content: bytes) -> bool:
    """Binary in any encoding droid reads (droids.core.text): a stray NUL does not make text binary."""
    from droids.core.text import is_binary as binary

    return binary(content)
