"""The client's side: hand `droid gate ...` to the repository's warm server, or say why not.

`answer(argv)` returns the exit code of the server's run, its output already written, or None: the
caller then runs the gate in its own process. Anything unexpected (refused, stale, a timeout, a
malformed frame, a server that dies mid-request) is None, never a pass. Standard library only: the
`droid` script imports this before anything else.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

from droids.core.version import VERSION
from orchestrator.gate_server import wire
from orchestrator.gate_server.fingerprint import code_fingerprint, package_parent
from orchestrator.gate_server.place import (
    FAILED,
    LOCK,
    LOG,
    SOCKET,
    Unsafe,
    inside,
    open_folder,
    repo_root,
    socket_path,
    socket_present,
    start_folder,
)

CONNECT_TIMEOUT_S = 2.0
REPLY_TIMEOUT_S = 900.0  # the longest a server may stay silent (DROID_SERVER_TIMEOUT overrides)
LOG_LIMIT = 1 << 20  # the server's log is emptied when a new server starts past this size
RETRY_AFTER_FAILURE_S = 3600.0  # after a server could not start here, clients wait this long to try again


class Client:
    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        self.argv = list(argv)
        self.env = env
        self.verbose = any(a in ("-v", "--verbose") for a in self.argv)
        self.quiet = any(a in ("-q", "--quiet") for a in self.argv)

    def answer(self) -> int | None:
        """The served run's exit code, its report written to stdout; None: run the gate here."""
        served = self._served()
        if served is None:
            return None
        code, stdout = served
        sys.stdout.write(stdout)  # outside the fallback: a run that was served is never run twice
        sys.stdout.flush()
        return code

    def _served(self) -> tuple[int, str] | None:
        cwd = os.getcwd()
        repo = repo_root(start_folder(self.argv, cwd))
        if repo is None:
            return None
        try:
            folder = open_folder(repo, create=False)
            if folder is None:
                self.spawn(repo)
                return None
            try:
                if not socket_present(folder, socket_path(repo)):
                    self.spawn(repo)
                    return None
                return self._talk(folder, repo, cwd)
            finally:
                os.close(folder)
        except Unsafe as exc:
            self.note(f"not using the warm gate server: {exc}; gating in this process")
        except OSError as exc:
            self.note(f"warm gate server unusable ({exc}); gating in this process", always=False)
        return None

    def _talk(self, folder: int, repo: str, cwd: str) -> tuple[int, str] | None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(CONNECT_TIMEOUT_S)
            try:
                with inside(folder):
                    sock.connect(SOCKET)
            except OSError:  # refused (a dead server's socket), or busy past the timeout
                self.spawn(repo)
                return None
            peer = peer_uid(sock)
            if peer is not None and peer != os.geteuid():
                raise Unsafe(f"{socket_path(repo)} is served by uid {peer}, not by you")
            sock.settimeout(_timeout(self.env))
            try:
                return self._exchange(sock, repo, cwd)
            except wire.WireError as exc:
                self.note(f"the warm gate server failed ({exc}); gating in this process")
                self.spawn(repo)
                return None

    def _exchange(self, sock: socket.socket, repo: str, cwd: str) -> tuple[int, str] | None:
        wire.send(sock, self.request(repo, cwd))
        while True:
            reply = wire.receive(sock)
            kind = reply["type"]
            if kind == "stderr" and isinstance(reply.get("text"), str):
                sys.stderr.write(reply["text"])
                sys.stderr.flush()
            elif kind == "started":
                self.note(f"served by the warm gate server (pid {reply.get('pid')})", always=False)
            elif kind == "done" and type(reply.get("code")) is int and isinstance(reply.get("stdout"), str):
                return reply["code"], reply["stdout"]
            elif kind == "stale":
                self.note("the warm gate server runs other code; gating in this process", always=False)
                self.spawn(repo)
                return None
            elif kind == "refused":
                self.note(f"the warm gate server refused: {reply.get('reason')}; gating in this process")
                return None
            else:
                raise wire.WireError(f"unexpected frame {kind!r}")

    def request(self, repo: str, cwd: str) -> dict[str, Any]:
        umask = os.umask(0)
        os.umask(umask)
        return {
            "type": "request",
            "protocol": wire.PROTOCOL,
            "version": VERSION,
            "fingerprint": code_fingerprint(),
            "repo": repo,
            "argv": self.argv,
            "cwd": cwd,
            "env": dict(self.env),
            "umask": umask,
            "stdout": _stream(sys.stdout),
            "stderr": _stream(sys.stderr),
            "size": _terminal_size(),
        }

    def spawn(self, repo: str) -> None:
        """Start a server for the next gate, detached, unless one holds the lock (running or starting)."""
        try:
            folder = open_folder(repo, create=True)
        except (Unsafe, OSError):
            return
        assert folder is not None
        try:
            if not _lock_free(folder) or _failed_lately(folder):
                return
            log = os.open(
                LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder
            )
            try:
                if os.fstat(log).st_size > LOG_LIMIT:
                    os.ftruncate(log, 0)
                pid = _start(repo, log, self.env)
            finally:
                os.close(log)
            self.note(f"started a warm gate server for the next gate (pid {pid})", always=False)
        except OSError:
            return
        finally:
            os.close(folder)

    def note(self, message: str, *, always: bool = True) -> None:
        if (always or self.verbose) and not self.quiet:
            sys.stderr.write(f"droid: {message}\n")


def _start(repo: str, log: int, env: Mapping[str, str]) -> int:
    import subprocess

    path = [str(package_parent()), env.get("PYTHONPATH", "")]
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "orchestrator.gate_server", repo],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        cwd="/",
        env={**env, "PYTHONPATH": os.pathsep.join(p for p in path if p)},
        start_new_session=True,  # no terminal, and pre-commit's pipes are not held open
    )
    return proc.pid


def _failed_lately(folder: int) -> bool:
    try:
        return time.time() - os.stat(FAILED, dir_fd=folder, follow_symlinks=False).st_mtime < RETRY_AFTER_FAILURE_S
    except OSError:
        return False


def _lock_free(folder: int) -> bool:
    """True when no server holds the lock (the lock is released as its holder exits, however it ends)."""
    import fcntl

    fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # releases it again
    return True


def peer_uid(sock: socket.socket) -> int | None:
    """The uid of the process at the other end (Linux); None where the platform cannot say."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return uid


def _stream(stream: Any) -> dict[str, Any]:
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        tty = False
    return {"tty": tty, "encoding": getattr(stream, "encoding", None), "errors": getattr(stream, "errors", None)}


def _terminal_size() -> list[int] | None:
    for fd in (2, 1):
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            continue
        if size.columns > 0 and size.lines > 0:  # a fresh pseudo-terminal says 0x0: no size at all
            return [size.columns, size.lines]
    return None


def _timeout(env: Mapping[str, str]) -> float:
    try:
        return max(0.1, float(env.get("DROID_SERVER_TIMEOUT", REPLY_TIMEOUT_S)))
    except ValueError:
        return REPLY_TIMEOUT_S
