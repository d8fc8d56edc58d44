"""The server: `python -P -m orchestrator.gate_server REPO`, started by the client, detached.

Start: take `.droid/server/gate.lock` (one server per repository; the lock dies with its holder),
fingerprint the installed code, import the CLI, the graph and the registry, warm up with one real
gate in a throw-away repository (the lazy imports of the checks), then bind `gate.sock` (0600).
Then one request at a time, each through the real CLI (`orchestrator.cli.main.invoke`) inside the
client's world (`request.client_scope`). It exits when idle for `DROID_SERVER_IDLE` seconds (900),
when its socket is gone or replaced, on a request from other code ("stale"), when a request leaves a
thread behind (a droid past its time limit), and when a client hangs up mid-run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import sys
import threading
import time
import traceback
from dataclasses import dataclass

from orchestrator.gate_server import wire
from orchestrator.gate_server.fingerprint import code_fingerprint
from orchestrator.gate_server.place import FAILED, LOCK, SOCKET, Unsafe, inside, open_folder, repo_root
from orchestrator.gate_server.watch import HangupWatch

IDLE_S = 900.0
LOCK_WAIT_S = 5.0  # a server that was just told "stale" is still letting go
POLL_S = 10.0  # how often an idle server checks that its socket is still its own


class Terminated(BaseException):
    """SIGTERM: leave now, cleaning up; not an Exception, so no run can mistake it for a result."""


@dataclass
class Outcome:
    keep_serving: bool
    why: str = ""


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m orchestrator.gate_server REPO\n")
        return 2
    repo = os.path.realpath(argv[0])
    if repo_root(repo) != repo:
        _log(f"{repo}: not a repository root")
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    try:
        folder = open_folder(repo, create=True)
    except (Unsafe, OSError) as exc:
        _log(f"not serving: {exc}")
        return 1
    assert folder is not None
    lock = _take_lock(folder)
    if lock is None:
        _log("another server holds the lock")
        os.close(folder)
        return 0
    server = GateServer(repo, folder, lock, code_fingerprint(), _idle(os.environ))
    try:
        try:
            server.prepare()
        except Exception as exc:  # cannot import, warm up or bind: clients stop starting servers for a while
            _log(f"cannot start: {exc.__class__.__name__}: {exc}\n{traceback.format_exc()}")
            _mark_failed(folder, f"{exc.__class__.__name__}: {exc}")
            return 1
        with contextlib.suppress(FileNotFoundError):
            os.unlink(FAILED, dir_fd=folder)
        server.serve()
    except Terminated:
        _log("terminated")
    except KeyboardInterrupt:  # an interrupt meant for a run that had just ended (a client hung up)
        _log("interrupted")
    finally:
        server.close()
    return 0


class GateServer:
    def __init__(self, repo: str, folder: int, lock: int, fingerprint: str, idle_s: float) -> None:
        self.repo = repo
        self.folder = folder
        self.lock: int | None = lock
        self.fingerprint = fingerprint
        self.idle_s = idle_s
        self.listener: socket.socket | None = None
        self.inode: int | None = None

    def prepare(self) -> None:
        from orchestrator.gate_server.warm import warm_up

        started = time.perf_counter()
        trouble = warm_up()
        if trouble:
            _log(trouble)
        _log(f"warm after {time.perf_counter() - started:.2f} s; serving {self.repo}")
        self.listener, self.inode = _bind(self.folder)

    def serve(self) -> None:
        assert self.listener is not None
        deadline = time.monotonic() + self.idle_s
        while (left := deadline - time.monotonic()) > 0:
            self.listener.settimeout(min(left, POLL_S))
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                if not self._socket_is_ours():
                    _log("socket removed or replaced")
                    return
                continue
            with conn:
                outcome = self.handle(conn)
            if not outcome.keep_serving:
                _log(f"exiting: {outcome.why}")
                return
            deadline = time.monotonic() + self.idle_s
        _log("idle")

    def handle(self, conn: socket.socket) -> Outcome:
        from orchestrator.gate_server.handling import Refused, Stale, check_request, run_request

        conn.settimeout(5.0)
        try:
            peer = _peer_uid(conn)
            if peer is not None and peer != os.geteuid():
                return Outcome(True, f"uid {peer} turned away")
            raw = wire.receive(conn)
        except wire.WireError as exc:
            return Outcome(True, str(exc))
        try:
            world = check_request(raw, repo=self.repo, fingerprint=self.fingerprint)
        except Stale as exc:
            self._let_go()  # the fresh server the client starts may lock and bind at once
            with contextlib.suppress(wire.WireError):
                wire.send(conn, {"type": "stale"})
            return Outcome(False, f"stale: {exc}")
        except Refused as exc:
            with contextlib.suppress(wire.WireError):
                wire.send(conn, {"type": "refused", "reason": str(exc)})
            return Outcome(True, f"refused: {exc}")
        conn.settimeout(60.0)
        before = set(threading.enumerate())
        watch = HangupWatch(conn)
        try:
            code, stdout, sent = run_request(world, conn)
        except KeyboardInterrupt:  # the client hung up and the interrupt landed outside the run
            watch.stop()
            return Outcome(False, "client hung up mid-run")
        watch.stop()
        if sent:
            with contextlib.suppress(wire.WireError):
                wire.send(conn, {"type": "done", "code": code, "stdout": stdout})
        left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
        if watch.fired or not sent:
            return Outcome(False, "client hung up mid-run")
        if left:
            return Outcome(False, f"a run left threads behind: {', '.join(left)}")
        return Outcome(True)

    def _socket_is_ours(self) -> bool:
        try:
            info = os.stat(SOCKET, dir_fd=self.folder, follow_symlinks=False)
        except OSError:
            return False
        return stat.S_ISSOCK(info.st_mode) and info.st_ino == self.inode

    def _let_go(self) -> None:
        """Unlink the socket (if still ours) and release the lock."""
        if self.inode is not None and self._socket_is_ours():
            with contextlib.suppress(OSError):
                os.unlink(SOCKET, dir_fd=self.folder)
        self.inode = None
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None

    def close(self) -> None:
        self._let_go()
        if self.listener is not None:
            self.listener.close()
        os.close(self.folder)


def _bind(folder: int) -> tuple[socket.socket, int]:
    """Listen on `gate.sock` in the checked folder, created 0600; a dead server's socket is replaced
    (we hold the lock, so no live server owns it); anything else at that name is refused."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with inside(folder):
        try:
            if not stat.S_ISSOCK(os.lstat(SOCKET).st_mode):
                raise Unsafe(f"{SOCKET} exists and is not a socket")
            os.unlink(SOCKET)
        except FileNotFoundError:
            pass
        umask = os.umask(0o177)
        try:
            listener.bind(SOCKET)
        finally:
            os.umask(umask)
        inode = os.lstat(SOCKET).st_ino
    listener.listen(16)
    return listener, inode


def _mark_failed(folder: int, why: str) -> None:
    """`gate.failed`: clients start no server while it is recent (a file system without Unix sockets
    would otherwise cost a futile start on every gate)."""
    with contextlib.suppress(OSError):
        fd = os.open(FAILED, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(why + "\n")


def _take_lock(folder: int) -> int | None:
    import fcntl

    fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError:
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.1)


def _peer_uid(conn: socket.socket) -> int | None:
    from orchestrator.gate_server.client import peer_uid

    return peer_uid(conn)


def _idle(env: os._Environ[str]) -> float:
    try:
        return max(0.5, float(env.get("DROID_SERVER_IDLE", IDLE_S)))
    except ValueError:
        return IDLE_S


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    sys.stderr.write(f"{stamp} gate server pid {os.getpid()}: {message}\n")
    sys.stderr.flush()
