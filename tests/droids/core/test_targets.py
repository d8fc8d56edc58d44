from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Task
from droids.core.targets import base_targets, staged_targets
from droids.core.workspace import Workspace
from tests.conftest import git


def test_staged_content_comes_from_the_index(git_repo: Path) -> None:
    (git_repo / "a.py").write_text("staged = 1\n")
    (git_repo / "b bin.dat").write_bytes(b"\0\1\2")
    git(git_repo, "add", "a.py", "b bin.dat")
    (git_repo / "a.py").write_text("working tree = 2\n")
    targets = staged_targets(git_repo)
    assert sorted(targets.paths) == ["a.py", "b bin.dat"]
    task = Task(mode="gate", profile="pre-commit", repo=git_repo, policies=git_repo, targets=targets)
    assert dict(Workspace(task).contents()) == {"a.py": b"staged = 1\n", "b bin.dat": b"\0\1\2"}


def test_changed_paths_against_base(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "feature")
    (git_repo / "new.py").write_text("x = 1\n")
    git(git_repo, "add", "new.py")
    git(git_repo, "commit", "-q", "-m", "add")
    (git_repo / "README.md").write_text("changed\n")
    assert sorted(base_targets(git_repo, "main").paths) == ["README.md", "new.py"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: list(staged_targets(p).paths), "not a git repository; --staged needs one"),
        (lambda p: base_targets(p, "main").paths, "not a git repository; --base needs one"),
    ],
)
def test_non_git_directory_is_bad_input(tmp_path: Path, call, message: str) -> None:
    with pytest.raises(DroidError, match=message):
        call(tmp_path)


def test_unknown_base_is_bad_input(git_repo: Path) -> None:
    with pytest.raises(DroidError, match="--base nope: no such commit"):
        base_targets(git_repo, "nope")
