"""Where a repository's gate server lives (`<repo>/.droid/server/`), and the checks that make it safe.

The audited repository is data, and it could ship a `.droid` that points elsewhere. Every check is
made on a directory descriptor opened without following symlinks, and the socket is bound and
reached through that same descriptor (`inside`), so what was checked is what is used: no symlink
can be swapped in between. Going through the folder also keeps AF_UNIX's ~107-byte path limit out
of the way of deep repositories. Standard library only: the thin client imports this.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence

STATE = ".droid"
FOLDER = "server"
SOCKET = "gate.sock"
LOCK = "gate.lock"
LOG = "server.log"
FAILED = "gate.failed"  # a server could not start here (why); clients wait before trying again
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Unsafe(Exception):
    """The server's folder or socket cannot be trusted; the gate runs in process and says why."""


def repo_root(start: str) -> str | None:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file for worktrees and
    submodules), resolved; None outside a repository."""
    path = os.path.realpath(start)
    while True:
        if os.path.lexists(os.path.join(path, ".git")):
            return path
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent


def start_folder(argv: Sequence[str], cwd: str) -> str:
    """Where the CLI will look for the repository: `--repo PATH` when given, else the working directory."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--repo" and i + 1 < len(argv):
            return os.path.join(cwd, argv[i + 1])
        if arg.startswith("--repo="):
            return os.path.join(cwd, arg.removeprefix("--repo="))
    return cwd


def open_folder(repo: str, *, create: bool) -> int | None:
    """A descriptor of `<repo>/.droid/server` after the checks; None when it does not exist and
    `create` is false. Raises `Unsafe` for a symlink, a folder owned by someone else, or a server
    folder other users can enter."""
    repo_fd = os.open(repo, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        state = _open_child(repo_fd, STATE, os.path.join(repo, STATE), create=create, private=False)
        if state is None:
            return None
        try:
            return _open_child(state, FOLDER, os.path.join(repo, STATE, FOLDER), create=create, private=True)
        finally:
            os.close(state)
    finally:
        os.close(repo_fd)


def _open_child(parent: int, name: str, shown: str, *, create: bool, private: bool) -> int | None:
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            return None
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700 if private else 0o777, dir_fd=parent)
        return _open_child(parent, name, shown, create=False, private=private)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            is_link = stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
            raise Unsafe(f"{shown} is {'a symlink' if is_link else 'not a folder'}") from None
        raise
    info = os.fstat(fd)
    problem = _ownership(info, shown, private)
    if problem:
        os.close(fd)
        raise Unsafe(problem)
    return fd


def _ownership(info: os.stat_result, shown: str, private: bool) -> str | None:
    if info.st_uid != os.geteuid():
        return f"{shown} is owned by uid {info.st_uid}, not by you (uid {os.geteuid()})"
    if private and info.st_mode & 0o077:
        return f"{shown} is open to other users (mode {stat.S_IMODE(info.st_mode):04o}, expected 0700)"
    return None


def socket_present(folder: int, shown: str) -> bool:
    """True when the folder holds the server's socket, owned by the user and private (0600); False
    when there is none. Raises `Unsafe` for anything else at that name."""
    try:
        info = os.stat(SOCKET, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    if not stat.S_ISSOCK(info.st_mode):
        raise Unsafe(f"{shown} is not a socket")
    if info.st_uid != os.geteuid():
        raise Unsafe(f"{shown} is owned by uid {info.st_uid}, not by you (uid {os.geteuid()})")
    if info.st_mode & 0o077:
        raise Unsafe(f"{shown} is open to other users (mode {stat.S_IMODE(info.st_mode):04o}, expected 0600)")
    return True


def socket_path(repo: str) -> str:
    return os.path.join(repo, STATE, FOLDER, SOCKET)


@contextlib.contextmanager
def inside(folder: int) -> Iterator[None]:
    """The working directory is the checked folder for the block (socket names are relative to it)."""
    saved = os.getcwd()
    os.fchdir(folder)
    try:
        yield
    finally:
        os.chdir(saved)
