"""Frames over a real socket pair: round trips and every way a frame can be wrong."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from orchestrator.gate_server import wire


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    right.settimeout(2.0)
    with left, right:
        yield left, right


@pytest.mark.parametrize(
    "message",
    [
        {"type": "done", "code": 1, "stdout": "src/x.py:3  SEC001  ...\n"},
        {"type": "stderr", "text": "caf\u00e9 \u2192 \x1b[1mbold\x1b[0m"},
        {"type": "done", "code": 0, "stdout": "path/\udcff.py"},  # a path git gave with a byte that is not UTF-8
        {"type": "done", "code": 0, "stdout": "x" * 3_000_000},
    ],
)
def test_a_frame_arrives_as_sent(pair: tuple[socket.socket, socket.socket], message: dict) -> None:
    left, right = pair
    sender = threading.Thread(target=wire.send, args=(left, message))
    sender.start()
    assert wire.receive(right) == message
    sender.join()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (struct.pack(">I", 5) + b"{nope", "malformed frame"),
        (struct.pack(">I", 2) + b"[]", "not an object with a type"),
        (struct.pack(">I", 13) + b'{"type": 1.5}', "not an object with a type"),
        (struct.pack(">I", wire.MAX_FRAME + 1), "over the limit"),
        (struct.pack(">I", 100) + b'{"type"', "connection closed"),
        (b"\x00\x00", "connection closed"),
    ],
)
def test_a_bad_frame_is_an_error(pair: tuple[socket.socket, socket.socket], raw: bytes, error: str) -> None:
    left, right = pair
    left.sendall(raw)
    left.shutdown(socket.SHUT_WR)
    with pytest.raises(wire.WireError, match=error):
        wire.receive(right)


def test_silence_is_a_timeout(pair: tuple[socket.socket, socket.socket]) -> None:
    _, right = pair
    right.settimeout(0.05)
    with pytest.raises(wire.WireError, match="timed out"):
        wire.receive(right)
