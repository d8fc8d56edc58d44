"""The per-repository fingerprint key, on real git repositories: clones share it, other repositories
do not, DROID_FINGERPRINT_KEY overrides it, and without a root commit it is this machine's own."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.fingerprint_key import KEY_ENV, FingerprintKey, note_once, repository_key, run_key
from droids.core.models import Targets, Task
from droids.core.workspace import Workspace
from tests.conftest import git


def _clone(repo: Path, dest: Path, *args: str) -> Path:
    git(dest.parent, "clone", "-q", *args, f"file://{repo}", str(dest))
    return dest


def _commit(repo: Path, name: str, text: str) -> None:
    (repo / name).write_text(text)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name)


def _repo(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "dev@example.com")
    git(path, "config", "user.name", "Dev")
    return path


def _machine(tmp_path: Path, name: str) -> dict[str, str]:
    return {"XDG_STATE_HOME": str(tmp_path / name)}


def test_clones_share_the_key_and_other_repositories_do_not(git_repo: Path, tmp_path: Path) -> None:
    _commit(git_repo, "a.py", "x = 1\n")
    here = repository_key(git_repo, _machine(tmp_path, "m1"))
    there = repository_key(_clone(git_repo, tmp_path / "clone"), _machine(tmp_path, "m2"))
    _commit(git_repo, "b.py", "y = 2\n")  # later commits, other branches: the root stays
    git(git_repo, "checkout", "-q", "-b", "feature")
    later = repository_key(git_repo, {})
    other = _repo(tmp_path / "other")
    _commit(other, "a.py", "x = 1\n")
    assert here.secret == there.secret == later.secret
    assert here.source.startswith("root commit ") and here.note is None
    assert repository_key(other, {}).secret != here.secret
    assert here.keyed("ab" * 20) == there.keyed("ab" * 20) != repository_key(other, {}).keyed("ab" * 20)


def test_merging_an_unrelated_history_keeps_the_key(git_repo: Path, tmp_path: Path) -> None:
    before = repository_key(git_repo, {})
    other = _repo(tmp_path / "other")
    _commit(other, "o.py", "o = 1\n")
    git(git_repo, "fetch", "-q", str(other), "main:other")
    git(git_repo, "merge", "-q", "--allow-unrelated-histories", "-m", "merge other", "other")
    assert repository_key(git_repo, {}).secret == before.secret  # the first-parent root


def test_the_environment_key_overrides_and_is_never_shown(git_repo: Path) -> None:
    value = secrets.token_hex(20)
    key = repository_key(git_repo, {KEY_ENV: value})
    assert key.source == KEY_ENV and key.secret != repository_key(git_repo, {}).secret
    assert value not in repr(key) and key.secret.hex() not in repr(key)


@pytest.mark.parametrize(("value", "what"), [("abc", "3 characters"), (" " * 30, "blank")])
def test_a_weak_environment_key_is_one_line(git_repo: Path, value: str, what: str) -> None:
    with pytest.raises(DroidError) as err:
        repository_key(git_repo, {KEY_ENV: value})
    assert str(err.value).startswith(f"{KEY_ENV}: {what}; expected a random value of at least 16 characters")
    assert "\n" not in str(err.value) and (not value.strip() or value not in str(err.value))


def _no_git(tmp_path: Path) -> Path:
    (tmp_path / "plain").mkdir()
    return tmp_path / "plain"


def _unborn(tmp_path: Path) -> Path:
    return _repo(tmp_path / "unborn")


def _shallow(tmp_path: Path) -> Path:
    origin = _repo(tmp_path / "origin")
    for n in range(3):
        _commit(origin, f"f{n}.py", f"x = {n}\n")
    return _clone(origin, tmp_path / "shallow", "--depth", "1")


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (_no_git, "not a git repository"),
        (_unborn, "no commit yet"),
        (_shallow, "a shallow clone without its root commit"),
    ],
    ids=["no git", "unborn", "shallow"],
)
def test_without_a_root_commit_the_key_is_this_machines(tmp_path: Path, make: Callable[[Path], Path], why: str) -> None:
    repo = make(tmp_path)
    first = repository_key(repo, _machine(tmp_path, "m1"))
    again = repository_key(repo, _machine(tmp_path, "m1"))
    elsewhere = repository_key(repo, _machine(tmp_path, "m2"))
    assert first.secret == again.secret != elsewhere.secret
    assert first.note and f"({why})" in first.note and "match no baseline made elsewhere" in first.note
    assert KEY_ENV in first.note and "\n" not in first.note
    key_file = tmp_path / "m1" / "droid" / "fingerprint.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret.hex() not in key_file.read_text()  # the file holds the seed, not the key itself


def test_a_shallow_clone_that_reaches_the_root_uses_it(tmp_path: Path) -> None:
    origin = _repo(tmp_path / "origin")
    _commit(origin, "a.py", "x = 1\n")
    shallow = _clone(origin, tmp_path / "shallow", "--depth", "5")  # deeper than the history
    assert repository_key(shallow, {}).secret == repository_key(origin, {}).secret


def test_an_unwritable_state_directory_gives_a_key_for_this_run(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("not a directory")
    key = repository_key(_no_git(tmp_path), {"XDG_STATE_HOME": str(tmp_path / "state")})
    assert key.source == "this run" and key.note and "keyed for this run only" in key.note


def test_computed_once_per_run_and_noted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _no_git(tmp_path)
    task = Task(mode="run", profile="run", repo=repo, policies=repo, targets=Targets(kind="paths"))
    workspace = Workspace(task)
    calls = []
    real = repository_key
    monkeypatch.setattr(
        "droids.core.fingerprint_key.repository_key", lambda r: calls.append(r) or real(r, dict(os.environ))
    )
    assert run_key(workspace) is run_key(workspace) and calls == [repo]
    assert len(note_once(workspace)) == 1 and note_once(workspace) == []
    workspace.close()


def test_the_keyed_hash_is_not_the_plain_one() -> None:
    key = FingerprintKey(os.urandom(32), "tests")
    digest = hashlib.sha1(os.urandom(8)).hexdigest()  # noqa: S324  # as detect-secrets hashes a value
    assert key.keyed(digest) != digest and len(key.keyed(digest)) == 64
    assert key.keyed(digest) != FingerprintKey(os.urandom(32), "tests").keyed(digest)
