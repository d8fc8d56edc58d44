"""A request's scope: the process takes the client's environment, folder, umask and streams, and
gets its own back however the run ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from orchestrator.gate_server.request import ClientStream, ClientWorld, StreamInfo, client_scope


def _world(cwd: Path, *, tty: bool = False, size: tuple[int, int] | None = None, **env: str) -> ClientWorld:
    info = StreamInfo(tty)
    return ClientWorld(["gate", "--staged"], str(cwd), {"PATH": "/bin", **env}, 0o027, info, info, size)


def test_the_client_world_is_swapped_in_and_out(tmp_path: Path) -> None:
    before = (dict(os.environ), Path.cwd(), sys.stdout, sys.stderr, sys.argv)
    umask = os.umask(0o022)
    os.umask(umask)
    out, err = ClientStream(StreamInfo(False)), ClientStream(StreamInfo(True), forward=lambda text: None)
    with client_scope(_world(tmp_path, GIT_INDEX_FILE="/x/index.lock"), out, err):
        assert os.environ["GIT_INDEX_FILE"] == "/x/index.lock"
        assert dict(os.environ) == {"PATH": "/bin", "GIT_INDEX_FILE": "/x/index.lock"}
        assert Path.cwd() == tmp_path
        current = os.umask(0)
        os.umask(current)
        assert current == 0o027
        assert sys.stdout is out and sys.stderr is err
        assert sys.argv == ["droid", "gate", "--staged"]
        assert not sys.stdout.isatty() and sys.stderr.isatty()
    assert (dict(os.environ), Path.cwd(), sys.stdout, sys.stderr, sys.argv) == before
    current = os.umask(umask)
    assert current == umask


def test_the_server_world_comes_back_after_an_exception(tmp_path: Path) -> None:
    before = dict(os.environ), Path.cwd()
    with (
        pytest.raises(KeyboardInterrupt),
        client_scope(_world(tmp_path), ClientStream(StreamInfo(False)), ClientStream(StreamInfo(False))),
    ):
        raise KeyboardInterrupt
    assert (dict(os.environ), Path.cwd()) == before


@pytest.mark.parametrize(
    ("tty", "env", "expected"),
    [
        (True, {}, ("100", "30")),  # a fresh process would have asked its terminal
        (True, {"COLUMNS": "80"}, ("80", "30")),  # the client's own setting wins
        (False, {}, (None, None)),  # no terminal: nothing to say
    ],
)
def test_a_terminal_size_is_passed_as_columns_and_lines(tmp_path: Path, tty: bool, env: dict, expected: tuple) -> None:
    world = _world(tmp_path, tty=tty, size=(100, 30), **env).environment()
    assert (world.get("COLUMNS"), world.get("LINES")) == expected


def test_streams_fail_as_the_clients_would() -> None:
    ascii_out = ClientStream(StreamInfo(False, "ascii", "strict"))
    with pytest.raises(UnicodeEncodeError):
        ascii_out.write("caf\u00e9")
    replacing = ClientStream(StreamInfo(False, "ascii", "replace"))
    replacing.write("caf\u00e9\n")
    assert replacing.getvalue() == "caf\u00e9\n"  # the client's stream does the replacing
    with pytest.raises(TypeError):
        replacing.write(b"bytes")  # type: ignore[arg-type]


def test_stderr_is_forwarded_as_written() -> None:
    sent: list[str] = []
    err = ClientStream(StreamInfo(True), forward=sent.append)
    print("one", file=err)
    err.write("two")
    assert sent == ["one", "\n", "two"] and err.getvalue() == ""


@pytest.mark.parametrize("raw", [{"tty": True, "encoding": "no-such-codec"}, {"tty": True, "errors": "nope"}, []])
def test_an_unknown_encoding_is_a_bad_request(raw: object) -> None:
    with pytest.raises((LookupError, ValueError)):
        StreamInfo.of(raw)
