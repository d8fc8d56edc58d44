"""The live progress display: on a terminal it shows droid, check and files done/total on stderr;
on a pipe (or with --quiet) nothing of it appears."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git

PROGRESS = re.compile(rb"SEC001\s+\d+/\d+ files")


def _repo(git_repo: Path) -> Path:
    for n in range(5):
        (git_repo / f"mod{n}.py").write_text(f"VALUE_{n} = {n}\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "modules")
    return git_repo


def _env() -> dict[str, str]:
    env = {**os.environ, "DROID_PROGRESS_AFTER_S": "0", "TERM": "xterm"}
    env.pop("CI", None)
    return env


def _on_a_terminal(repo: Path, *args: str) -> bytes:
    """Run droid with stdout and stderr on a pseudo-terminal; everything it wrote there."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "orchestrator.cli.main", *args],
        cwd=repo, env=_env(), stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(controller)
    return b"".join(chunks)


@pytest.mark.slow
def test_progress_appears_on_a_terminal_and_not_on_a_pipe(git_repo: Path) -> None:
    repo = _repo(git_repo)
    assert PROGRESS.search(_on_a_terminal(repo, "audit")), "no progress line on the terminal"
    assert not PROGRESS.search(_on_a_terminal(repo, "--quiet", "audit"))
    piped = subprocess.run(
        [sys.executable, "-P", "-m", "orchestrator.cli.main", "audit"],
        cwd=repo, env=_env(), capture_output=True,
    )  # fmt: skip
    assert not PROGRESS.search(piped.stdout + piped.stderr)
