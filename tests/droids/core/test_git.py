"""droids.core.git reads the environment and the repository's configuration at each call, so one
long-lived process (the warm gate server) serves every caller as a fresh process would."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core import git as core_git
from tests.conftest import git


@pytest.mark.parametrize("email", ["first@example.com", "second@example.com"])
def test_the_environment_is_read_at_each_call(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    git(git_repo, "config", "--unset", "user.email")
    config = tmp_path / f"{email}.gitconfig"
    config.write_text(f"[user]\n\temail = {email}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))  # set after the module was imported
    assert core_git.config_value(git_repo, "user.email") == email
    assert core_git.environment()["LC_ALL"] == "C"


def test_a_filter_configured_between_two_calls_is_still_blanked(git_repo: Path) -> None:
    (git_repo / ".gitattributes").write_text("*.txt filter=tamper\n")
    (git_repo / "a.txt").write_text("one\n")
    git(git_repo, "add", ".gitattributes", "a.txt")
    git(git_repo, "commit", "-q", "-m", "a")
    head = core_git.head(git_repo)
    (git_repo / "a.txt").write_text("two\n")
    assert core_git.name_status(git_repo, staged=False, against=head) == [("M", "a.txt", "a.txt")]
    marker = git_repo.parent / "filter-ran"
    git(git_repo, "config", "filter.tamper.clean", f"touch {marker}; cat")  # added after the first call
    (git_repo / "a.txt").write_text("three\n")
    assert core_git.name_status(git_repo, staged=False, against=head) == [("M", "a.txt", "a.txt")]
    assert not marker.exists()
