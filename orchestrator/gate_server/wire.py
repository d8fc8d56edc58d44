"""The frames client and server exchange: a 4-byte big-endian length, then one JSON object.

Client -> server, once: `{"type": "request", "protocol", "version", "fingerprint", "repo", "argv",
"cwd", "env", "umask", "tty": {"stdout", "stderr"}, "size": [columns, lines] | null}`.
Server -> client: `{"type": "stale"}` (other code: the server exits), `{"type": "refused", "reason"}`,
or `{"type": "started", "pid"}`, any number of `{"type": "stderr", "text"}` as the run writes them,
and `{"type": "done", "code", "stdout"}`. Standard library only.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

PROTOCOL = 1
MAX_FRAME = 256 * 1024 * 1024  # a report of a whole repository fits; anything larger is an error
_HEADER = struct.Struct(">I")


class WireError(Exception):
    """The other side closed, timed out, or sent something that is not a frame."""


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        sock.sendall(_HEADER.pack(len(body)) + body)
    except OSError as exc:
        raise WireError(f"send failed: {exc}") from None


def receive(sock: socket.socket) -> dict[str, Any]:
    (size,) = _HEADER.unpack(_exactly(sock, _HEADER.size))
    if size > MAX_FRAME:
        raise WireError(f"frame of {size} bytes is over the limit")
    try:
        message = json.loads(_exactly(sock, size).decode("utf-8", "surrogatepass"))
    except ValueError as exc:
        raise WireError(f"malformed frame: {exc}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise WireError("malformed frame: not an object with a type")
    return message


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        try:
            chunk = sock.recv(min(left, 1 << 20))
        except TimeoutError:
            raise WireError("timed out") from None
        except OSError as exc:
            raise WireError(f"receive failed: {exc}") from None
        if not chunk:
            raise WireError("connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
