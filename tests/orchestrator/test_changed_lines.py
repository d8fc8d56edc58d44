"""A gate judges the change: findings on lines it did not add or modify are pre-existing.

Real git repositories with a fixture secret committed long ago; the real security droid through the
orchestrator (the graph, resolve and verdict), in process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.models import Task
from droids.core.policy import load_gates
from droids.core.registry import load_registry
from droids.core.targets import base_targets, staged_targets
from orchestrator.execute import execute
from orchestrator.resolve import ChangedLines
from tests.conftest import REPO_ROOT, git
from tests.orchestrator.cli.helpers import aws_key
from tests.orchestrator.render.reports import SECRET

FIXTURE = "tests/fixtures.py"


def _repo(git_repo: Path) -> tuple[Path, str]:
    """A repository whose test fixture holds a key since long ago, 250 lines above the end."""
    old = aws_key()
    body = f'FIXTURE_KEY = "{old}"\n' + "".join(f"value_{n} = {n}\n" for n in range(250))
    (git_repo / "tests").mkdir()
    (git_repo / FIXTURE).write_text(body)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "fixtures")
    return git_repo, old


def _gate(repo: Path, targets, gates=None) -> object:
    task = Task(mode="gate", profile="pre-commit", repo=repo, policies=repo / "policies", targets=targets)
    return execute(task, load_registry(), gates or load_gates(repo / "policies"), repo / ".droid")


# (what the commit does to the fixture file, blocked?, active SEC001 count, pre-existing SEC001 count)
EDITS = [
    ("append a comment", False, 0, 1),
    ("append a new key", True, 1, 1),
    ("rewrite the old key's line", True, 1, 0),
]


@pytest.mark.parametrize(("edit", "blocked", "active", "before"), EDITS)
def test_only_lines_the_change_touched_count(git_repo: Path, edit: str, blocked: bool, active: int, before: int):
    repo, old = _repo(git_repo)
    path = repo / FIXTURE
    if edit == "append a comment":
        path.write_text(path.read_text() + "# one more fixture below\n")
    elif edit == "append a new key":
        path.write_text(path.read_text() + f'NEW_KEY = "{aws_key()}"\n')
    else:
        path.write_text(path.read_text().replace(f'"{old}"', f'"{aws_key()}"  # rotated'))
    git(repo, "add", FIXTURE)
    report = _gate(repo, staged_targets(repo))
    sec001 = [f for f in report.findings if f.rule == "SEC001"]
    assert (report.verdict == "block") is blocked
    assert sum(not f.preexisting for f in sec001) == active
    assert sum(f.preexisting for f in sec001) == before
    assert all(f.line == 1 for f in sec001 if f.preexisting)


def test_a_base_gate_judges_the_lines_of_the_branch(git_repo: Path) -> None:
    repo, _ = _repo(git_repo)
    git(repo, "switch", "-q", "-c", "feature")
    (repo / FIXTURE).write_text((repo / FIXTURE).read_text() + "# comment\n")
    git(repo, "commit", "-q", "-am", "comment only")
    assert _gate(repo, base_targets(repo, "main")).verdict != "block"


def test_whole_files_judges_every_line_of_a_changed_file(git_repo: Path) -> None:
    repo, _ = _repo(git_repo)
    (repo / FIXTURE).write_text((repo / FIXTURE).read_text() + "# comment\n")
    git(repo, "add", FIXTURE)
    gates = load_gates(REPO_ROOT / "policies").model_copy(update={"judge": "whole-files", "suppressions": ()})
    report = _gate(repo, staged_targets(repo), gates)
    assert report.verdict == "block" and not any(f.preexisting for f in report.findings)


# (finding's path, line, commit) -> pre-existing? for a change of a.py adding line 3
CASES = [
    ("a.py", 3, None, False),  # added by the change
    ("a.py", 7, None, True),  # in a changed file, not touched
    ("a.py", None, None, False),  # about the file as a whole (e.g. .env not ignored)
    ("b.py", 7, None, False),  # a file outside the change: the change's own result (a journal, say)
    ("a.py", 7, "abc123", False),  # about a commit (history)
]


@pytest.mark.parametrize(("path", "line", "commit", "expected"), CASES)
def test_which_findings_are_pre_existing(path: str, line: int | None, commit: str | None, expected: bool) -> None:
    changed = ChangedLines(files=frozenset({"a.py"}), added={"a.py": frozenset({3})})
    finding = SECRET.model_copy(update={"path": path, "line": line, "commit": commit})
    assert changed.preexisting(finding) is expected
