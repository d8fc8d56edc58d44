"""One request's scope in the server: the process looks like the client's for the duration.

The CLI reads its world from the process: `os.environ` (git's GIT_INDEX_FILE under pre-commit,
DROID_POLICIES, NO_COLOR, DROID_AUDIT_URL), the working directory, the umask (files it creates),
`sys.argv`, and whether stdout and stderr are terminals (colour, progress). `client_scope` swaps
all of them in and restores the server's after, however the run ends. The stand-in streams answer
`isatty()` as the client's do and refuse text the client's stream could not encode, as it would.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StreamInfo:
    """What the client's stdout or stderr is: a terminal or not, and its encoding."""

    tty: bool
    encoding: str = "utf-8"
    errors: str = "strict"

    @classmethod
    def of(cls, raw: Any) -> StreamInfo:
        if not isinstance(raw, dict):
            raise ValueError("stream: expected an object")
        info = cls(bool(raw.get("tty")), str(raw.get("encoding") or "utf-8"), str(raw.get("errors") or "strict"))
        codecs.lookup(info.encoding)  # an unknown codec or error handler is a bad request (LookupError)
        codecs.lookup_error(info.errors)
        return info


class ClientStream(io.TextIOBase):
    """Stands in for the client's stdout (kept, sent at the end) or stderr (`forward`: sent as written)."""

    def __init__(self, info: StreamInfo, forward: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self._info = info
        self._forward = forward
        self._parts: list[str] = []

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._info.encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return self._info.errors

    def isatty(self) -> bool:
        return self._info.tty

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        text.encode(self._info.encoding, self._info.errors)  # fails here exactly when the client's would
        if self._forward is not None:
            self._forward(text)
        else:
            self._parts.append(text)
        return len(text)

    def getvalue(self) -> str:
        return "".join(self._parts)


@dataclass(frozen=True)
class ClientWorld:
    """The parts of a request that make the process look like the client's."""

    argv: list[str]
    cwd: str
    env: dict[str, str]
    umask: int
    stdout: StreamInfo
    stderr: StreamInfo
    size: tuple[int, int] | None

    def environment(self) -> dict[str, str]:
        """The client's environment; on a terminal, its size as COLUMNS and LINES when they are not
        set (a fresh process would ask its terminal; the server has none)."""
        env = dict(self.env)
        if self.size is not None and (self.stdout.tty or self.stderr.tty):
            env.setdefault("COLUMNS", str(self.size[0]))
            env.setdefault("LINES", str(self.size[1]))
        return env


@contextlib.contextmanager
def client_scope(world: ClientWorld, stdout: ClientStream, stderr: ClientStream) -> Iterator[None]:
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv = sys.argv
    saved_umask = os.umask(world.umask)
    try:
        os.environ.clear()
        os.environ.update(world.environment())
        os.chdir(world.cwd)
        sys.argv = ["droid", *world.argv]
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(), stdout, stderr
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        os.umask(saved_umask)
