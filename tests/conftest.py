"""Shared fixtures. Network access is blocked for every test except to loopback addresses."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise OSError(f"network access blocked in tests: {host}")
    return _real_connect(self, address)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _loopback_only  # type: ignore[method-assign]
    # No test starts a warm gate server by accident (e.g. the hooks run under real pre-commit);
    # tests/orchestrator/gate_server turns it back on where it is what is tested.
    os.environ["DROID_NO_SERVER"] = "1"


@pytest.fixture(autouse=True)
def _own_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own user state directory (audit-trail anchors, the machine's fingerprint
    key) and runs without the CI's DROID_AUDIT_KEY / DROID_FINGERPRINT_KEY unless it sets them."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    for name in ("DROID_AUDIT_KEY", "DROID_FINGERPRINT_KEY"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str) -> str:
    """Run real git in `repo` and return its stdout."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    """A fresh git repository with an identity and one commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "init")
    return repo
