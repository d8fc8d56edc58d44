"""OPS001: zizmor run for real (offline) on planted problems; the clean workflow raises nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Severity
from droids.devops.workflows import ops001_zizmor
from tests.droids.devops.helpers import run_rule
from tests.droids.devops.workflows.cases import CLEAN, WF, line_of, planted

INJECTED = planted(
    'run: droid gate --base "origin/$BASE_REF" --out droid-report',
    'run: droid gate --base "origin/${{ github.event.pull_request.head.ref }}" --out droid-report',
)
PERSISTED = planted("          persist-credentials: false\n", "")
TRIGGER = planted("  pull_request:\n", "  pull_request_target:\n")

# (workflow text, zizmor audit expected, our severity, the line it points at)
MUST_FLAG = [
    (INJECTED, "template-injection", Severity.HIGH, line_of(INJECTED, "head.ref")),
    (PERSISTED, "artipacked", Severity.LOW, line_of(PERSISTED, "actions/checkout")),  # medium x low confidence
    (TRIGGER, "dangerous-triggers", Severity.HIGH, line_of(TRIGGER, "pull_request_target")),
]


@pytest.mark.parametrize(("text", "audit", "severity", "line"), MUST_FLAG)
def test_planted_problem_is_found(git_repo: Path, text: str, audit: str, severity: Severity, line: int) -> None:
    found = [f for f in run_rule(git_repo, ops001_zizmor, {WF: text}) if f.model_extra["subrule"] == audit]
    assert found, audit
    assert found[0].severity == severity
    assert found[0].line == line
    assert found[0].rule_ids() == ("OPS001", f"OPS001/{audit}")
    assert found[0].path == WF


def test_clean_workflow_raises_nothing(git_repo: Path) -> None:
    assert run_rule(git_repo, ops001_zizmor, {WF: CLEAN}) == []


def test_unpinned_uses_is_left_to_ops006(git_repo: Path) -> None:
    text = planted("actions/setup-python@v5", "someone/setup-python@v5")
    assert [
        f for f in run_rule(git_repo, ops001_zizmor, {WF: text}) if f.model_extra["subrule"] == "unpinned-uses"
    ] == []


def test_zizmor_ignore_comment_and_repo_config_are_honoured(git_repo: Path) -> None:
    ignored = INJECTED.replace(
        'head.ref }}" --out droid-report', 'head.ref }}" --out droid-report  # zizmor: ignore[template-injection]'
    )
    assert run_rule(git_repo, ops001_zizmor, {WF: ignored}) == []
    config = "rules:\n  artipacked:\n    disable: true\n"
    assert run_rule(git_repo, ops001_zizmor, {WF: PERSISTED, ".github/zizmor.yml": config}) == []


def test_broken_repo_config_is_bad_input(git_repo: Path) -> None:
    with pytest.raises(DroidError, match="zizmor"):
        run_rule(git_repo, ops001_zizmor, {WF: CLEAN, "zizmor.yml": "rules: [not, a, mapping]\n"})


def test_staged_content_is_what_zizmor_sees(git_repo: Path) -> None:
    """A staged gate judges the index: the work tree's clean copy does not hide the staged injection."""
    from droids.core.models import Targets, Task
    from droids.core.protocol import DroidContext

    run_rule(git_repo, ops001_zizmor, {WF: INJECTED})  # staged
    (git_repo / WF).write_text(CLEAN)  # the work tree differs
    task = Task(
        mode="gate",
        profile="pre-commit",
        repo=git_repo,
        policies=git_repo / "policies",
        targets=Targets(kind="staged", paths=(WF,)),
    )
    found = ops001_zizmor.run(task, DroidContext(state_dir=git_repo / ".droid")).findings
    assert [f.model_extra["subrule"] for f in found] == ["template-injection"]
