"""OPS003: the droid gate step exists in some workflow and can fail the job."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.devops.workflows import ops003_gate_step
from tests.droids.devops.helpers import run_rule, write
from tests.droids.devops.workflows.cases import CLEAN, WF, line_of, planted

GATE_RUN = 'run: droid gate --base "origin/$BASE_REF" --out droid-report'
MUST_FLAG = [
    (
        planted("        run: droid gate", "        continue-on-error: true\n        run: droid gate"),
        "continue-on-error",
        "continue-on-error: True",
    ),
    (
        planted("    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest\n    continue-on-error: ${{ inputs.soft }}"),
        "continue-on-error",
        "job 'gate'",
    ),
    (planted(GATE_RUN, GATE_RUN + " || true"), "droid gate", "swallows its exit code"),
    (planted(GATE_RUN, GATE_RUN.replace("droid-report", "droid-report; exit 0")), "droid gate", "swallows"),
    (planted(GATE_RUN, "run: echo skipping the gate"), None, "no workflow runs `droid gate`"),
]
MUST_NOT_FLAG = [
    CLEAN,
    planted("        run: droid gate", "        continue-on-error: false\n        run: droid gate"),
    planted(
        GATE_RUN, "run: |\n          set -euo pipefail\n          droid gate --base origin/main --out droid-report"
    ),
]


@pytest.mark.parametrize(("text", "where", "says"), MUST_FLAG)
def test_unenforced_gate_is_found(git_repo: Path, text: str, where: str | None, says: str) -> None:
    found = run_rule(git_repo, ops003_gate_step, {WF: text})
    assert len(found) == 1
    assert says in found[0].message
    assert found[0].line == (line_of(text, where) if where else None)


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_enforced_gate_raises_nothing(git_repo: Path, text: str) -> None:
    assert run_rule(git_repo, ops003_gate_step, {WF: text}) == []


def test_gate_in_another_workflow_counts(git_repo: Path) -> None:
    """Changing a workflow without the gate is fine while another tracked workflow runs it."""
    write(git_repo, {WF: CLEAN})
    other = planted(GATE_RUN, "run: make docs")
    assert run_rule(git_repo, ops003_gate_step, {".github/workflows/docs.yml": other}) == []


def test_audit_of_repo_without_workflows_says_so_without_a_finding(git_repo: Path) -> None:
    """No GitHub Actions at all: CI is elsewhere or not set up; a note, never a blocking finding."""
    from droids.core.protocol import DroidContext
    from tests.droids.devops.helpers import task

    found = ops003_gate_step.run(task(git_repo, ["README.md"], mode="audit"), DroidContext(git_repo / ".droid"))
    assert found.findings == []
    assert found.notes == [
        "OPS003: no GitHub Actions workflow in this repository; `droid init` writes one with the gate"
    ]


def test_audit_of_workflows_without_the_gate_reports_it(git_repo: Path) -> None:
    from droids.core.protocol import DroidContext
    from tests.droids.devops.helpers import task

    write(git_repo, {".github/workflows/docs.yml": planted(GATE_RUN, "run: make docs")})
    found = ops003_gate_step.run(task(git_repo, ["README.md"], mode="audit"), DroidContext(git_repo / ".droid"))
    assert [f.message for f in found.findings] == [
        "no workflow runs `droid gate` (workflows: .github/workflows/docs.yml): changes merge ungated"
    ]
