"""Check a client's request and run it through the real CLI inside the client's world."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from droids.core.version import VERSION
from orchestrator.cli.argv import command_of
from orchestrator.cli.main import invoke
from orchestrator.gate_server import wire
from orchestrator.gate_server.place import repo_root, start_folder
from orchestrator.gate_server.request import ClientStream, ClientWorld, StreamInfo, client_scope


class Stale(Exception):
    """The client runs other code than this server imported: the server must go."""


class Refused(Exception):
    """A request this server does not serve (another repository, not a gate, malformed)."""


def check_request(raw: dict[str, Any], *, repo: str, fingerprint: str) -> ClientWorld:
    if raw.get("type") != "request":
        raise Refused(f"expected a request, got {raw.get('type')!r}")
    if raw.get("protocol") != wire.PROTOCOL or raw.get("version") != VERSION:
        raise Stale(f"protocol {raw.get('protocol')}, droid {raw.get('version')}")
    if raw.get("fingerprint") != fingerprint:
        raise Stale("the installed code changed since this server started")
    try:
        world = ClientWorld(
            argv=_strings(raw.get("argv"), "argv"),
            cwd=_string(raw.get("cwd"), "cwd"),
            env=_environment(raw.get("env")),
            umask=_umask(raw.get("umask")),
            stdout=StreamInfo.of(raw.get("stdout")),
            stderr=StreamInfo.of(raw.get("stderr")),
            size=_size(raw.get("size")),
        )
    except (ValueError, LookupError) as exc:
        raise Refused(f"malformed request: {exc}") from None
    if command_of(world.argv) != "gate":
        raise Refused("this server runs `droid gate` only")
    if not os.path.isabs(world.cwd) or not os.path.isdir(world.cwd):
        raise Refused(f"cwd {world.cwd}: not an existing absolute folder")
    claimed = raw.get("repo")
    found = repo_root(start_folder(world.argv, world.cwd))
    if claimed != repo or found != repo:
        raise Refused(f"this server serves {repo} only, not {found or claimed}")
    return world


def run_request(world: ClientWorld, conn: socket.socket) -> tuple[int, str, bool]:
    """Exit code and stdout of the CLI run on the client's argv; stderr goes to the client as it is
    written. The flag is False when the client could not be reached for part of it."""
    lock = threading.Lock()
    reachable = [True]

    def forward(text: str) -> None:
        with lock:
            if reachable[0]:
                try:
                    wire.send(conn, {"type": "stderr", "text": text})
                except wire.WireError:
                    reachable[0] = False

    try:
        wire.send(conn, {"type": "started", "pid": os.getpid()})
    except wire.WireError:
        return 130, "", False
    stdout = ClientStream(world.stdout)
    with client_scope(world, stdout, ClientStream(world.stderr, forward)):
        code = invoke(list(world.argv))
    return code, stdout.getvalue(), reachable[0]


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str) or "\0" in value:
        raise ValueError(f"{what}: expected a string")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"{what}: expected a list of strings")
    return [_string(v, what) for v in value]


def _environment(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("env: expected an object")
    env = {_string(k, "env"): _string(v, "env") for k, v in value.items()}
    if any(not k or "=" in k for k in env):
        raise ValueError("env: a name is empty or holds '='")
    return env


def _umask(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= 0o777:
        raise ValueError("umask: expected 0..0o777")
    return value


def _size(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int and v > 0 for v in value)):
        raise ValueError("size: expected [columns, lines]")
    return value[0], value[1]
