"""CMP002: the Apex policy in the tree stays within Apex's published rules (CI, audit, pre-commit on policy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Severity, Targets, Task
from droids.security_compliance.compliance import cmp001_loosening as cmp001
from droids.security_compliance.compliance import cmp002_policy_within_ruleset as cmp002
from tests.conftest import REPO_ROOT, git
from tests.droids.security_compliance.access.test_sec020_access_control import (
    APEX,
    edit,
    policy_repo,
    run,
    staged_task,
    tree_task,
)

PUBLISHED = "policies/apex-published.yaml"


def test_the_shipped_policies_are_within_the_published_rules() -> None:
    task = Task(mode="audit", profile="audit", repo=REPO_ROOT, policies=REPO_ROOT / "policies",
                targets=Targets(kind="tree"))  # fmt: skip
    outcome = run(cmp002, task)
    assert outcome.findings == [] and outcome.metrics == {"apex_limits_checked": True}


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('deadline: "16:59"', 'deadline: "17:30"', "session.deadline"),
        ("max_contracts: 35,", "max_contracts: 40,", "accounts.300k.max_contracts"),
        ('consistency: {max_share: "0.50", inclusive: true}', 'consistency: {max_share: "0.60", inclusive: true}',
         "rulesets.apex-4.0.consistency.max_share"),
    ],
    ids=["deadline", "contracts", "consistency"],
)  # fmt: skip
def test_audit_reports_a_committed_breach(git_repo: Path, old: str, new: str, key: str) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, old, new)
    git(repo, "commit", "-q", "-am", "loosen")
    [finding] = run(cmp002, tree_task(repo)).findings
    assert (finding.rule, finding.severity, finding.key) == ("CMP002", Severity.CRITICAL, key)  # type: ignore[attr-defined]
    assert finding.line is not None and finding.path == APEX


def test_a_tighter_published_value_exposes_the_policy(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    edit(repo, PUBLISHED, 'max_percent: "10"', 'max_percent: "8"')
    git(repo, "add", PUBLISHED)
    [finding] = run(cmp002, staged_task(repo)).findings
    assert (finding.key, finding.value, finding.limit) == ("rulesets.seed.drawdown.percent", "10", "8")  # type: ignore[attr-defined]
    assert run(cmp001, staged_task(repo)).findings == []  # apex.yaml did not change


def test_without_a_published_file_the_built_in_published_rules_judge(git_repo: Path) -> None:
    """The published rules are Apex's facts, shipped with droid: a repository without its own copy
    is judged against them, never passed unchecked."""
    repo = policy_repo(git_repo)
    git(repo, "rm", "-q", PUBLISHED)
    assert run(cmp002, staged_task(repo)).findings == []
    edit(repo, APEX, "max_contracts: 10,", "max_contracts: 40,")
    git(repo, "add", APEX)
    [finding] = run(cmp001, staged_task(repo)).findings  # the change loosened it: CMP001's
    assert finding.key == "accounts.50k.max_contracts"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (APEX, "max_contracts: 10,", "max_contracts: -1,",
         "policies/apex.yaml:35: accounts.50k.max_contracts: Input should be greater than 0"),
        (PUBLISHED, 'latest_deadline: "16:59"', 'latest_deadline: "late"',
         "policies/apex-published.yaml:11: session.latest_deadline: Value error, expected a local time 'HH:MM'"),
        (PUBLISHED, "half_size_until_threshold_locks: false", "half_size: false",
         "policies/apex-published.yaml:36: rulesets.seed.half_size_until_threshold_locks: Field required"),
    ],
    ids=["apex-negative-cap", "published-bad-time", "published-unknown-key"],
)  # fmt: skip
def test_invalid_policy_files_are_bad_input(git_repo: Path, rel: str, old: str, new: str, expected: str) -> None:
    repo = policy_repo(git_repo)
    edit(repo, rel, old, new)
    git(repo, "add", rel)
    with pytest.raises(DroidError) as caught:
        run(cmp002, staged_task(repo))
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("profile", "paths", "applies"),
    [
        ("pre-commit", ("policies/apex.yaml",), True),
        ("pre-commit", ("trading_core/risk/sentinel.py",), True),
        ("pre-commit", ("README.md", "docs/x.md"), False),
        ("ci", ("README.md",), True),
        ("audit", (), True),
    ],
)
def test_when_it_runs(profile: str, paths: tuple[str, ...], applies: bool) -> None:
    kind = "staged" if profile == "pre-commit" else "base" if profile == "ci" else "tree"
    mode = "audit" if profile == "audit" else "gate"
    task = Task(mode=mode, profile=profile, repo=REPO_ROOT, policies=REPO_ROOT / "policies",  # type: ignore[arg-type]
                targets=Targets(kind=kind, paths=paths, base="main" if kind == "base" else None))  # fmt: skip
    assert cmp002.applies(task) is applies
