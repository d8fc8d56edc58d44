"""What the server accepts: a gate for its own repository from the same installed code, well formed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from orchestrator.gate_server.client import Client
from orchestrator.gate_server.fingerprint import code_fingerprint
from orchestrator.gate_server.handling import Refused, Stale, check_request

# A path string carried in a request, never opened: the server must pass it through untouched.
ENV = {"PATH": "/usr/bin:/bin", "GIT_INDEX_FILE": "/tmp/index"}  # nosec B108 - never opened, only compared


def _request(repo: Path, args: list[str] | None = None, cwd: Path | None = None, **changes: Any) -> dict[str, Any]:
    raw = Client(args or ["gate", "--staged"], ENV).request(str(repo), str(cwd or repo))
    raw.update(changes)
    return raw


def test_a_gate_for_its_repository_is_accepted(git_repo: Path) -> None:
    (git_repo / "src").mkdir()
    world = check_request(_request(git_repo, cwd=git_repo / "src"), repo=str(git_repo), fingerprint=code_fingerprint())
    assert world.argv == ["gate", "--staged"] and world.cwd == str(git_repo / "src") and world.env == ENV


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"fingerprint": "0" * 64}, "installed code changed"),
        ({"version": "0.0.1"}, "droid 0.0.1"),
        ({"protocol": 99}, "protocol 99"),
    ],
)
def test_other_code_is_stale(git_repo: Path, changes: dict, error: str) -> None:
    with pytest.raises(Stale, match=error):
        check_request(_request(git_repo, **changes), repo=str(git_repo), fingerprint=code_fingerprint())


def test_another_repository_is_refused(git_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    fingerprint = code_fingerprint()
    for raw in (
        _request(other),  # claims the other repository
        _request(git_repo, cwd=other),  # claims ours, but its folder is in the other one
        _request(git_repo, args=["--repo", str(other), "gate", "--staged"]),  # names the other one
    ):
        with pytest.raises(Refused, match=f"serves {git_repo} only"):
            check_request(raw, repo=str(git_repo), fingerprint=fingerprint)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"argv": ["audit"]}, "`droid gate` only"),
        ({"argv": ["--version"]}, "`droid gate` only"),
        ({"argv": "gate --staged"}, "argv: expected a list"),
        ({"cwd": "relative/folder"}, "not an existing absolute folder"),
        ({"cwd": "/no/such/folder"}, "not an existing absolute folder"),
        ({"env": {"A=B": "1"}}, "env: a name"),
        ({"env": {"PATH": 3}}, "env: expected a string"),
        ({"umask": 0o1777}, "umask"),
        ({"umask": True}, "umask"),
        ({"stdout": {"tty": True, "encoding": "no-such-codec"}}, "malformed request"),
        ({"size": [80]}, "size"),
        ({"type": "hello"}, "expected a request"),
    ],
)
def test_a_malformed_request_is_refused(git_repo: Path, changes: dict, error: str) -> None:
    with pytest.raises(Refused, match=error):
        check_request(_request(git_repo, **changes), repo=str(git_repo), fingerprint=code_fingerprint())
