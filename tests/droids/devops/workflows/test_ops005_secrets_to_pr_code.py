"""OPS005: no secret in reach of a job that runs a pull request's code with the base's privileges."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.models import Severity
from droids.devops.workflows import ops005_secrets_to_pr_code
from tests.droids.devops.helpers import run_rule

WF = ".github/workflows/pr.yml"


def workflow(
    trigger: str, checkout_ref: str | None, extra_step: str = "", job_extra: str = "", top_env: str = ""
) -> str:
    ref = f"\n        with:\n          ref: {checkout_ref}" if checkout_ref else ""
    return f"""\
name: pr
on: {trigger}
{top_env}jobs:
  test:
    runs-on: ubuntu-latest
{job_extra}    steps:
      - uses: actions/checkout@v4{ref}
      - run: make test
{extra_step}"""


STEP_SECRET = """      - name: Publish
        env:
          BROKER_PASSWORD: ${{ secrets.BROKER_PASSWORD }}
        run: ./publish.sh
"""
RUN_SECRET = """      - run: |
          echo start
          curl -H "Authorization: ${{ secrets.DEPLOY_TOKEN }}" https://example.invalid
"""
HEAD = "${{ github.event.pull_request.head.sha }}"

# (workflow, secrets named, line of the first)
MUST_FLAG = [
    (workflow("pull_request_target", HEAD, STEP_SECRET), ["secrets.BROKER_PASSWORD"], 13),
    (workflow("pull_request_target", "${{ github.head_ref }}", RUN_SECRET), ["secrets.DEPLOY_TOKEN"], 13),
    (
        workflow(
            "pull_request_target",
            "refs/pull/${{ github.event.number }}/merge",
            "",
            "    env:\n      AUDIT_URL: ${{ secrets.DROID_AUDIT_URL }}\n",
        ),
        ["secrets.DROID_AUDIT_URL"],
        7,
    ),
    (
        workflow("pull_request_target", HEAD, "", "", "env:\n  TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"),
        ["secrets.GITHUB_TOKEN"],
        4,
    ),
    (
        workflow("workflow_run", "${{ github.event.workflow_run.head_sha }}", STEP_SECRET),
        ["secrets.BROKER_PASSWORD"],
        13,
    ),
    (
        workflow("pull_request_target", None, "      - run: gh pr checkout ${{ github.event.number }}\n" + STEP_SECRET),
        ["secrets.BROKER_PASSWORD"],
        12,
    ),
]
MUST_NOT_FLAG = [
    workflow("pull_request", HEAD, STEP_SECRET),  # no privileged trigger: forks get no secrets
    workflow("pull_request_target", None, STEP_SECRET),  # base code only
    workflow("pull_request_target", HEAD),  # PR code, but no secret in reach
    workflow("push", None, STEP_SECRET),
]


@pytest.mark.parametrize(("text", "names", "line"), MUST_FLAG)
def test_secret_in_reach_of_pr_code_is_found(git_repo: Path, text: str, names: list[str], line: int) -> None:
    found = run_rule(git_repo, ops005_secrets_to_pr_code, {WF: text})
    assert [f.evidence for f in found] == names
    assert found[0].line == line
    assert found[0].severity == Severity.CRITICAL
    assert "runs pull-request code" in found[0].message


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_safe_workflow_raises_nothing(git_repo: Path, text: str) -> None:
    assert run_rule(git_repo, ops005_secrets_to_pr_code, {WF: text}) == []


def test_secrets_inherit_counts(git_repo: Path) -> None:
    text = """\
on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.ref }}
      - run: make
  call:
    uses: ./.github/workflows/reusable.yml
    secrets: inherit
"""
    found = run_rule(git_repo, ops005_secrets_to_pr_code, {WF: text})
    assert found == []  # the calling job checks out nothing: the secrets stay in the base's code
