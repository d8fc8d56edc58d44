"""OPS006: third-party actions pinned by commit SHA; GitHub's own by tag (policy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.devops.workflows import ops006_unpinned_action
from droids.devops.workflows.ops006_unpinned_action import unpinned
from tests.droids.devops.helpers import run_rule, write
from tests.droids.devops.workflows.cases import CLEAN, WF, line_of, planted

SHA = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab"
MUST_FLAG = [
    "someone/setup-python@v5",
    "someone/setup-python@main",
    "someone/setup-python",
    f"someone/setup-python@{SHA[:12]}",  # a short SHA is ambiguous
    "docker://alpine:3.20",
    "someone/workflows/.github/workflows/x.yml@v1",
]
MUST_NOT_FLAG = [
    "actions/setup-python@v5",  # trusted owner (policy)
    "github/codeql-action/upload-sarif@v3",
    f"someone/setup-python@{SHA}",
    "./.github/actions/local",
    "docker://alpine@sha256:" + "a" * 64,
]


@pytest.mark.parametrize("uses", MUST_FLAG)
def test_unpinned_third_party_action_is_found(git_repo: Path, uses: str) -> None:
    text = planted("actions/setup-python@v5", uses)
    found = run_rule(git_repo, ops006_unpinned_action, {WF: text})
    assert [(f.evidence, f.line) for f in found] == [(uses, line_of(text, uses))]


@pytest.mark.parametrize("uses", MUST_NOT_FLAG)
def test_pinned_or_trusted_action_raises_nothing(git_repo: Path, uses: str) -> None:
    assert run_rule(git_repo, ops006_unpinned_action, {WF: planted("actions/setup-python@v5", uses)}) == []


def test_reusable_workflow_job_is_checked() -> None:
    assert unpinned("someone/wf/.github/workflows/x.yml@v1", ("actions",))


def test_policy_decides_who_is_trusted(git_repo: Path) -> None:
    write(git_repo, {"policies/devops.yaml": "version: 1\nworkflows:\n  trusted_owners: []\n"})
    found = run_rule(git_repo, ops006_unpinned_action, {WF: CLEAN})
    assert {f.evidence for f in found} == {
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "github/codeql-action/upload-sarif@v3",
    }
