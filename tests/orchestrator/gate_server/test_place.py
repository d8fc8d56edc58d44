"""Where the server lives and what is refused there: real folders, symlinks, sockets, owners."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestrator.gate_server.place import (
    SOCKET,
    Unsafe,
    inside,
    open_folder,
    repo_root,
    socket_present,
    start_folder,
)

OTHER_UID = 4242  # an owner that is not the test's user (the tests that chown need root)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's owner needs root")


@pytest.mark.parametrize("git_entry", ["folder", "file"])
def test_the_root_is_the_nearest_folder_with_git(tmp_path: Path, git_entry: str) -> None:
    repo = tmp_path / "repo"
    (repo / "src" / "deep").mkdir(parents=True)
    if git_entry == "folder":
        (repo / ".git").mkdir()
    else:  # a worktree or submodule: .git is a file naming the real git dir
        (repo / ".git").write_text("gitdir: /elsewhere\n")
    assert repo_root(str(repo / "src" / "deep")) == str(repo.resolve())
    (tmp_path / "beside").mkdir()
    assert repo_root(str(tmp_path / "beside")) != str(repo.resolve())


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["gate", "--staged"], "/work"),
        (["--repo", "sub", "gate"], "/work/sub"),
        (["gate", "--repo=/abs"], "/abs"),
        (["gate", "--", "--repo", "x"], "/work"),
    ],
)
def test_the_start_folder_follows_repo(argv: list[str], expected: str) -> None:
    assert os.path.normpath(start_folder(argv, "/work")) == expected


def test_the_folder_is_created_private(tmp_path: Path) -> None:
    assert open_folder(str(tmp_path), create=False) is None
    fd = open_folder(str(tmp_path), create=True)
    assert fd is not None
    os.close(fd)
    assert stat.S_IMODE((tmp_path / ".droid" / "server").stat().st_mode) == 0o700


def _symlinked_state(repo: Path) -> None:
    (repo.parent / "elsewhere").mkdir()
    (repo / ".droid").symlink_to(repo.parent / "elsewhere")


def _symlinked_server(repo: Path) -> None:
    (repo / ".droid").mkdir()
    (repo.parent / "elsewhere").mkdir(mode=0o700)
    (repo / ".droid" / "server").symlink_to(repo.parent / "elsewhere")


def _dangling_symlink(repo: Path) -> None:
    (repo / ".droid").symlink_to(repo.parent / "nowhere")


def _state_is_a_file(repo: Path) -> None:
    (repo / ".droid").write_text("")


def _open_server_folder(repo: Path) -> None:
    (repo / ".droid" / "server").mkdir(parents=True)
    (repo / ".droid" / "server").chmod(0o755)


def _foreign_state(repo: Path) -> None:
    (repo / ".droid").mkdir()
    os.chown(repo / ".droid", OTHER_UID, -1)


def _foreign_server(repo: Path) -> None:
    (repo / ".droid" / "server").mkdir(parents=True, mode=0o700)
    os.chown(repo / ".droid" / "server", OTHER_UID, -1)


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (_symlinked_state, r"\.droid is a symlink"),
        (_symlinked_server, r"\.droid/server is a symlink"),
        (_dangling_symlink, r"\.droid is a symlink"),
        (_state_is_a_file, r"\.droid is not a folder"),
        (_open_server_folder, r"open to other users \(mode 0755, expected 0700\)"),
        pytest.param(_foreign_state, r"\.droid is owned by uid 4242", marks=needs_root),
        pytest.param(_foreign_server, r"server is owned by uid 4242", marks=needs_root),
    ],
)
@pytest.mark.parametrize("create", [False, True])
def test_unsafe_folders_are_refused(
    tmp_path: Path, arrange: Callable[[Path], None], message: str, create: bool
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    arrange(repo)
    with pytest.raises(Unsafe, match=message):
        open_folder(str(repo), create=create)
    assert not (tmp_path / "elsewhere" / "server").exists()  # nothing was made through a symlink


def _bind(folder: int, mode: int) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with inside(folder):
        listener.bind(SOCKET)
        os.chmod(SOCKET, mode)
    return listener


def test_a_private_socket_of_the_user_is_accepted(tmp_path: Path) -> None:
    fd = open_folder(str(tmp_path), create=True)
    assert fd is not None
    try:
        assert socket_present(fd, "gate.sock") is False
        with _bind(fd, 0o600):
            assert socket_present(fd, "gate.sock") is True
    finally:
        os.close(fd)


def _regular_file(folder: Path, fd: int) -> None:
    (folder / SOCKET).write_text("")


def _symlink_to_socket(folder: Path, fd: int) -> None:
    (folder / SOCKET).symlink_to(folder / "real.sock")


def _open_socket(folder: Path, fd: int) -> None:
    _bind(fd, 0o666).detach()


def _foreign_socket(folder: Path, fd: int) -> None:
    _bind(fd, 0o600).detach()
    os.chown(folder / SOCKET, OTHER_UID, -1, follow_symlinks=False)


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (_regular_file, "is not a socket"),
        (_symlink_to_socket, "is not a socket"),
        (_open_socket, r"open to other users \(mode 0666, expected 0600\)"),
        pytest.param(_foreign_socket, "is owned by uid 4242", marks=needs_root),
    ],
)
def test_anything_but_the_users_private_socket_is_refused(
    tmp_path: Path, arrange: Callable[[Path, int], None], message: str
) -> None:
    fd = open_folder(str(tmp_path), create=True)
    assert fd is not None
    try:
        arrange(tmp_path / ".droid" / "server", fd)
        with pytest.raises(Unsafe, match=message):
            socket_present(fd, "gate.sock")
    finally:
        os.close(fd)
