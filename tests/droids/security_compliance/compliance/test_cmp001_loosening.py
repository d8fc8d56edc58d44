"""CMP001: a change that loosens an Apex limit past the published rules blocks, approved or not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from droids.core.models import Severity
from droids.security_compliance.compliance import cmp001_loosening as cmp001
from droids.security_compliance.compliance import cmp002_policy_within_ruleset as cmp002
from tests.conftest import git
from tests.droids.security_compliance.access.test_sec020_access_control import (
    APEX,
    OWNER,
    edit,
    policy_repo,
    run,
    staged_task,
    tree_task,
)

SEED_DD = 'drawdown: {basis: percent, percent: "10", trail: intraday'
A3_DD = (
    'drawdown: {basis: fixed, trail: intraday, warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: "100"}'
)
A4_DD = 'drawdown: {basis: fixed, trail: eod, warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: "100"}'
SEED_CONS = 'consistency: {max_share: "0.30", inclusive: false}\n    daily_loss: null\n  apex-3.0'
A3_HALF = 'contracts: {half_size_until_threshold_locks: true}\n    consistency: {max_share: "0.30"'
A4_CONS = 'consistency: {max_share: "0.50", inclusive: true}'
A4_DAILY = (
    'daily_loss:\n      limits: {25k: "500", 50k: "1000", 100k: "1500", 150k: "2000", 250k: "2500", 300k: "3000"}'
)
NEW_RULESET = """
  custom:
    description: "our own"
    drawdown: {basis: percent, percent: "5", trail: intraday, warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: null}
    contracts: {half_size_until_threshold_locks: false}
    consistency: {max_share: "0.30", inclusive: false}
    daily_loss: null
"""  # noqa: E501

# (id, old text, new text, apex.yaml key reported, value, published limit)
MUST_FLAG = [
    (
        "drawdown-percent-above-preset",
        SEED_DD,
        SEED_DD.replace('"10"', '"12"'),
        "rulesets.seed.drawdown.percent",
        "12",
        "10",
    ),
    ("deadline-after-16-59", 'deadline: "16:59"', 'deadline: "17:05"', "session.deadline", "17:05", "16:59"),
    (
        "early-close-later",
        '"2025-12-24": "12:59"',
        '"2025-12-24": "13:30"',
        "session.early_close.2025-12-24",
        "13:30",
        "12:59",
    ),
    ("early-close-dropped", '    "2025-12-24": "12:59"\n', "", "session.early_close.2025-12-24", "16:59", "12:59"),
    (
        "another-time-zone",
        "timezone: America/New_York",
        "timezone: America/Chicago",
        "session.timezone",
        "America/Chicago",
        "America/New_York",
    ),
    ("contracts-above-table", "max_contracts: 10,", "max_contracts: 12,", "accounts.50k.max_contracts", "12", "10"),
    (
        "half-size-above-table",
        "max_contracts: 10, half_size_contracts: 5",
        "max_contracts: 10, half_size_contracts: 6",
        "accounts.50k.half_size_contracts",
        "6",
        "5",
    ),
    (
        "trailing-threshold-above-table",
        'trailing_threshold: "2500"',
        'trailing_threshold: "3000"',
        "accounts.50k.trailing_threshold",
        "3000",
        "2500",
    ),
    (
        "starting-balance-differs",
        'starting_balance: "50000"',
        'starting_balance: "45000"',
        "accounts.50k.starting_balance",
        "45000",
        "50000",
    ),
    (
        "consistency-share-above",
        SEED_CONS,
        SEED_CONS.replace('"0.30"', '"0.40"'),
        "rulesets.seed.consistency.max_share",
        "0.40",
        "0.30",
    ),
    (
        "consistency-off",
        SEED_CONS,
        SEED_CONS.replace('{max_share: "0.30", inclusive: false}', "null"),
        "rulesets.seed.consistency",
        "none",
        "0.30",
    ),
    (
        "consistency-bound-exclusive",
        A4_CONS,
        A4_CONS.replace("true", "false"),
        "rulesets.apex-4.0.consistency.inclusive",
        "false",
        "true",
    ),
    (
        "eod-trail-where-intraday",
        A3_DD,
        A3_DD.replace("intraday", "eod"),
        "rulesets.apex-3.0.drawdown.trail",
        "eod",
        "intraday",
    ),
    (
        "stops-trailing-earlier",
        A3_DD,
        A3_DD.replace('"100"', '"50"'),
        "rulesets.apex-3.0.drawdown.stop_trailing_above_start",
        "50",
        "100",
    ),
    (
        "stops-trailing-where-never",
        SEED_DD + ', warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: null',
        SEED_DD + ', warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: "100"',
        "rulesets.seed.drawdown.stop_trailing_above_start",
        "100",
        "never",
    ),
    (
        "half-size-off",
        A3_HALF,
        A3_HALF.replace("true", "false"),
        "rulesets.apex-3.0.contracts.half_size_until_threshold_locks",
        "false",
        "true",
    ),
    ("daily-loss-removed", A4_DAILY, "daily_loss: null", "rulesets.apex-4.0.daily_loss", "none", "required"),
    (
        "basis-changed",
        SEED_DD,
        "drawdown: {basis: fixed, trail: intraday",
        "rulesets.seed.drawdown.basis",
        "fixed",
        "percent",
    ),
    ("unpublished-rule-set", A4_DAILY, A4_DAILY + NEW_RULESET.rstrip("\n"), "rulesets.custom", "custom", "-"),
]

# (id, old text, new text): tighter than, or as loose as, the published rules
MUST_NOT_FLAG = [
    ("drawdown-tighter", SEED_DD, SEED_DD.replace('"10"', '"9"')),
    ("deadline-earlier", 'deadline: "16:59"', 'deadline: "16:30"'),
    ("contracts-fewer", "max_contracts: 10,", "max_contracts: 8,"),
    ("consistency-tighter", SEED_CONS, SEED_CONS.replace('"0.30"', '"0.25"')),
    ("intraday-where-eod", A4_DD, A4_DD.replace("eod", "intraday")),
    ("stops-trailing-later", A3_DD, A3_DD.replace('"100"', '"200"')),
    ("stops-trailing-never", A3_DD, A3_DD.replace('"100"', "null")),
    ("warning-level-is-ours", SEED_DD + ', warn_at: "0.80"', SEED_DD + ', warn_at: "0.85"'),
    ("extra-early-close", '"2025-12-24": "12:59"', '"2025-12-24": "12:59"\n    "2026-01-02": "15:00"'),
    ("description", 'description: "The seed documents', 'description: "Seed documents'),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new", "key", "value", "limit"), [m[1:] for m in MUST_FLAG], ids=[m[0] for m in MUST_FLAG]
)
def test_loosening_is_reported_with_value_limit_and_line(
    git_repo: Path, old: str, new: str, key: str, value: str, limit: str
) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, old, new)
    git(repo, "add", APEX)
    task = staged_task(repo)
    [finding] = run(cmp001, task).findings
    assert (finding.rule, finding.severity, finding.path) == ("CMP001", Severity.CRITICAL, APEX)
    assert (finding.key, finding.value, finding.limit) == (key, value, limit)  # type: ignore[attr-defined]
    line = (repo / APEX).read_text().splitlines()[finding.line - 1]
    assert key.split(".")[-1] in line or key.split(".")[-2] in line
    assert run(cmp002, task).findings == []  # the change made it: CMP001's, reported once


@pytest.mark.parametrize(("old", "new"), [m[1:] for m in MUST_NOT_FLAG], ids=[m[0] for m in MUST_NOT_FLAG])
def test_tightening_or_neutral_change_passes(git_repo: Path, old: str, new: str) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, old, new)
    git(repo, "add", APEX)
    assert run(cmp001, staged_task(repo)).findings == []
    assert run(cmp002, staged_task(repo)).findings == []


def test_breach_already_in_the_base_is_cmp002s_not_cmp001s(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    edit(repo, APEX, 'deadline: "16:59"', 'deadline: "17:05"')
    git(repo, "commit", "-q", "-am", "late deadline (already there)")
    edit(repo, APEX, "max_contracts: 10,", "max_contracts: 9,")  # an unrelated, tighter change
    git(repo, "add", APEX)
    assert run(cmp001, staged_task(repo)).findings == []
    [old] = run(cmp002, staged_task(repo)).findings
    assert old.key == "session.deadline"  # type: ignore[attr-defined]


HOOK_RUNNER = """\
import sys
from pathlib import Path

from droids.core.models import Severity, Task
from droids.core.protocol import DroidContext
from droids.core.targets import staged_targets
from droids.security_compliance.compliance import cmp001_loosening
from droids.security_compliance.access import sec020_access_control

repo = Path.cwd()
task = Task(mode="gate", profile="pre-commit", repo=repo, policies=repo / "policies",
            targets=staged_targets(repo), commit_message=Path(sys.argv[1]).read_text())
findings = [f for check in (sec020_access_control, cmp001_loosening)
            for f in check.run(task, DroidContext(repo / ".droid")).findings]
for finding in findings:
    print(finding.rule, finding.severity.value, finding.message, file=sys.stderr)
sys.exit(1 if any(f.severity.at_least(Severity.HIGH) for f in findings) else 0)
"""


@pytest.mark.parametrize(
    ("new_percent", "blocked_by"),
    [("9", set()), ("12", {"CMP001"})],
    ids=["approved-tightening-passes", "approved-loosening-blocks"],
)
def test_owner_approval_cannot_override_the_published_rules(
    git_repo: Path, new_percent: str, blocked_by: set[str]
) -> None:
    repo = policy_repo(git_repo)
    runner = repo.parent / "hook_runner.py"
    runner.write_text(HOOK_RUNNER)
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{runner}" "$1"\n')
    hook.chmod(0o755)
    edit(repo, APEX, SEED_DD, SEED_DD.replace('"10"', f'"{new_percent}"'))
    git(repo, "add", APEX)
    message = f"Drawdown {new_percent} %\n\nApproved-by: {OWNER}"
    before = git(repo, "rev-parse", "HEAD")
    proc = subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message], capture_output=True, text=True)
    assert (proc.returncode != 0) is bool(blocked_by), proc.stderr
    assert {line.split()[0] for line in proc.stderr.splitlines() if line[:3] in ("SEC", "CMP")} == blocked_by
    assert (git(repo, "rev-parse", "HEAD") == before) is bool(blocked_by)


def test_cmp001_runs_only_on_a_change(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    assert not cmp001.applies(tree_task(repo))
