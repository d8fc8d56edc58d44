"""SEC020 approvals by commit trailer, end to end: a real commit-msg hook, and CI over a branch's commits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from droids.core.models import Severity
from droids.security_compliance.access import sec020_access_control as sec020
from tests.conftest import git
from tests.droids.security_compliance.access.test_sec020_access_control import (
    APEX,
    AUTHOR,
    DRAWDOWN,
    OUTSIDER,
    OWNER,
    base_task,
    edit,
    policy_repo,
    run,
)

TIGHTER = 'drawdown: {basis: percent, percent: "9"'
HOOK_RUNNER = """\
import sys
from pathlib import Path

from droids.core.models import Severity, Task
from droids.core.protocol import DroidContext
from droids.core.targets import staged_targets
from droids.security_compliance.access import sec020_access_control as sec020

repo = Path.cwd()
task = Task(mode="gate", profile="pre-commit", repo=repo, policies=repo / "policies",
            targets=staged_targets(repo), commit_message=Path(sys.argv[1]).read_text())
outcome = sec020.run(task, DroidContext(repo / ".droid"))
for finding in outcome.findings:
    print(finding.severity.value, finding.message, file=sys.stderr)
sys.exit(1 if any(f.severity.at_least(Severity.HIGH) for f in outcome.findings) else 0)
"""


def install_commit_msg_hook(repo: Path) -> None:
    """The commit-msg hook a user installs: git passes the message file, the gate reads it."""
    runner = repo.parent / "hook_runner.py"
    runner.write_text(HOOK_RUNNER)
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{runner}" "$1"\n')
    hook.chmod(0o755)


def commit(
    repo: Path, message: str, *, email: str = AUTHOR, author: str | None = None
) -> subprocess.CompletedProcess[str]:
    args = [
        "git",
        "-C",
        str(repo),
        "-c",
        f"user.email={email}",
        "-c",
        "user.name=Someone",
        "commit",
        "-q",
        "-m",
        message,
    ]
    if author:
        args.append(f"--author={author}")
    return subprocess.run(args, capture_output=True, text=True, check=False)


def commits(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD"))


# (commit message, committer email, --author, blocked?, what the refusal says)
COMMIT_MSG_CASES = [
    ("Tighten the drawdown", AUTHOR, None, True, "without an owner's approval"),
    (f"Tighten the drawdown\n\nApproved-by: {OWNER}", AUTHOR, None, False, ""),
    ("Tighten the drawdown\n\nApproved-by: Risk Officer <RISK@example.com>", AUTHOR, None, False, ""),
    (f"Tighten the drawdown\n\nApproved-by: {AUTHOR}", AUTHOR, None, True, "is the author of this commit"),
    (f"Tighten the drawdown\n\nApproved-by: {OUTSIDER}", AUTHOR, None, True, "is not an owner"),
    (f"Tighten the drawdown\n\nApproved-by: {OWNER}", OWNER, None, True, "is the author of this commit"),
    (f"Tighten the drawdown\n\nApproved-by: {OWNER}", AUTHOR, f"Risk <{OWNER}>", True, "is the author of this commit"),
    (f"Tighten the drawdown\n\nApproved-by: {OWNER}\n\nMore text after it.", AUTHOR, None, True, "without an owner"),
    ("Tighten the drawdown\n\nApproved-by: the risk team", AUTHOR, None, True, "without an owner's approval"),
]  # fmt: skip
CASE_IDS = [
    "no-trailer", "owner", "owner-name-and-address", "self-approval", "not-an-owner", "owner-commits-and-approves",
    "author-flag-is-the-approver", "trailer-not-in-last-paragraph", "trailer-not-an-address",
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("message", "email", "author", "blocked", "says"), COMMIT_MSG_CASES, ids=CASE_IDS)
def test_commit_msg_hook_blocks_unless_an_owner_other_than_the_author_approves(
    git_repo: Path, message: str, email: str, author: str | None, blocked: bool, says: str
) -> None:
    repo = policy_repo(git_repo)
    install_commit_msg_hook(repo)
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    git(repo, "add", APEX)
    before = commits(repo)
    proc = commit(repo, message, email=email, author=author)
    assert (proc.returncode != 0) is blocked, proc.stderr
    assert commits(repo) == before + (0 if blocked else 1)
    if blocked:
        assert says in proc.stderr and "rulesets.seed.drawdown.percent" in proc.stderr


def test_commit_msg_hook_lets_unprotected_changes_through(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    install_commit_msg_hook(repo)
    edit(repo, APEX, "# Apex Trader Funding rules", "# Apex rules")
    git(repo, "add", APEX)
    assert commit(repo, "Reword a comment").returncode == 0


def feature_branch(repo: Path) -> Path:
    git(repo, "switch", "-q", "-c", "feature")
    return repo


def ci_commit(repo: Path, message: str, email: str = AUTHOR) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", f"user.email={email}", "commit", "-q", "--allow-empty", "-m", message)


def test_ci_passes_a_branch_whose_protected_commit_carries_an_owner_trailer(git_repo: Path) -> None:
    repo = feature_branch(policy_repo(git_repo))
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    ci_commit(repo, f"Tighten the drawdown\n\nApproved-by: {OWNER}")
    outcome = run(sec020, base_task(repo))
    assert outcome.findings == []
    [record] = outcome.metrics["protected_changes"]
    assert record["approved_by"] == OWNER and record["keys"] == ["rulesets.seed.drawdown.percent"]
    assert record["via"].startswith("trailer of commit ")
    assert record["changes"] == [{"key": "rulesets.seed.drawdown.percent", "old": "10", "new": "9"}]
    assert record["commit"] == git(repo, "rev-parse", "HEAD").strip()
    approved = [n for n in outcome.notes if "approved by" in n]
    assert approved == [
        f"SEC020: {APEX}: protected keys rulesets.seed.drawdown.percent changed: approved by {OWNER} ({record['via']})"
    ]


RISK = "trading_core/risk/sentinel.py"
DEADLINE = 'deadline: "16:59"'


def _delete(repo: Path, rel: str) -> None:
    (repo / rel).unlink()


# (what, change to make, approval entries' details: (path, key, old, new))
APPROVAL_EVENT_CASES = [
    ("one key", lambda r: edit(r, APEX, DRAWDOWN, TIGHTER),
     [(APEX, "rulesets.seed.drawdown.percent", "10", "9")]),
    ("two keys", lambda r: (edit(r, APEX, DRAWDOWN, TIGHTER), edit(r, APEX, DEADLINE, 'deadline: "16:30"')),
     [(APEX, "rulesets.seed.drawdown.percent", "10", "9"), (APEX, "session.deadline", "16:59", "16:30")]),
    ("a key removed", lambda r: edit(r, APEX, "  " + DEADLINE + "\n", ""),
     [(APEX, "session.deadline", "16:59", "(absent)")]),
    ("a whole file edited", lambda r: edit(r, RISK, "MAX_LOSS = 300", "MAX_LOSS = 250"),
     [(RISK, "", "existing", "modified")]),
    ("a whole file deleted", lambda r: _delete(r, RISK), [(RISK, "", "existing", "(absent)")]),
    ("a whole file added", lambda r: (r / "trading_core/risk/limits.py").write_text("CAP = 1\n"),
     [("trading_core/risk/limits.py", "", "(absent)", "added")]),
    ("a whole file renamed", lambda r: git(r, "mv", RISK, "trading_core/risk/guard.py"),
     [("trading_core/risk/guard.py", "", "existing", "renamed")]),
    ("YAML broken by the change", lambda r: edit(r, APEX, DRAWDOWN, "drawdown: [unclosed"),
     [(APEX, "", "existing", "invalid-yaml")]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change", "expected"), APPROVAL_EVENT_CASES, ids=[c[0] for c in APPROVAL_EVENT_CASES])
def test_an_approved_change_becomes_one_audit_event_per_changed_key(
    git_repo: Path, what: str, change, expected: list[tuple[str, str, str, str]]
) -> None:
    repo = feature_branch(policy_repo(git_repo))
    change(repo)
    ci_commit(repo, f"{what}\n\nApproved-by: {OWNER}")
    outcome = run(sec020, base_task(repo))
    assert outcome.findings == []
    head = git(repo, "rev-parse", "HEAD").strip()
    got = [(e.kind, e.verdict, {k: v for k, v in e.details.items() if k != "from"}) for e in outcome.audit_events]
    assert got == [
        ("approval", "approved",
         {"path": p, "key": k, "old": o, "new": n, "approver": OWNER, "commit": head, "via": "trailer"})
        for p, k, o, n in expected
    ]  # fmt: skip
    renamed = what == "a whole file renamed"
    assert [e.details.get("from") for e in outcome.audit_events] == [RISK if renamed else None] * len(expected)


def test_yaml_fixed_by_the_change_is_recorded_as_such(git_repo: Path) -> None:
    repo = policy_repo(git_repo)
    good = (repo / APEX).read_text()
    (repo / APEX).write_text(good + "broken: [unclosed\n")
    ci_commit(repo, "Break the policy")
    feature_branch(repo)
    (repo / APEX).write_text(good)
    ci_commit(repo, f"Fix the policy\n\nApproved-by: {OWNER}")
    outcome = run(sec020, base_task(repo))
    assert [(e.details["key"], e.details["old"], e.details["new"]) for e in outcome.audit_events] == [
        ("", "invalid-yaml", "modified")
    ]
    assert "not valid YAML before this change" in outcome.notes[-1]


BROKER = "config/broker.yaml"
BROKER_RULES = f"""\
  - path: {BROKER}
    keys: ["broker.*"]
    owners: ["@risk"]
  - path: {BROKER}
    keys: ["broker.password"]
    owners: ["@risk"]
    reason: overlaps the rule above on purpose
"""


def test_a_secret_setting_is_approved_without_its_value_reaching_trail_report_or_notes(git_repo: Path) -> None:
    import json

    from tests import secret_values as sv
    from tests.droids.security_compliance.access.test_sec020_access_control import ACCESS

    old_password, new_password = sv.password(11), sv.password(12)
    repo = git_repo
    (repo / "config").mkdir()
    (repo / BROKER).write_text(f"broker:\n  host: demo.example.com\n  password: {old_password}\n")
    policy_repo(repo, access=ACCESS + BROKER_RULES)
    feature_branch(repo)
    edit(repo, BROKER, old_password, new_password)
    ci_commit(repo, f"Rotate the broker password\n\nApproved-by: {OWNER}")
    outcome = run(sec020, base_task(repo))
    assert outcome.findings == []
    [event] = outcome.audit_events  # two rules protect the key: one entry
    assert (event.details["key"], event.details["old"], event.details["new"]) == (
        "broker.password", "<redacted>", "<redacted>"
    )  # fmt: skip
    everything = json.dumps([outcome.metrics, [e.details for e in outcome.audit_events], outcome.notes])
    assert old_password not in everything and new_password not in everything


def test_an_unapproved_change_is_a_finding_and_no_audit_event(git_repo: Path) -> None:
    repo = feature_branch(policy_repo(git_repo))
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    ci_commit(repo, "Tighten the drawdown")
    outcome = run(sec020, base_task(repo))
    assert len(outcome.findings) == 1 and outcome.audit_events == []
    [record] = outcome.metrics["protected_changes"]
    assert record["approved_by"] is None and record["changes"][0]["new"] == "9"


def test_ci_accepts_an_approval_in_a_later_commit(git_repo: Path) -> None:
    repo = feature_branch(policy_repo(git_repo))
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    ci_commit(repo, "Tighten the drawdown")
    ci_commit(repo, f"Review\n\nApproved-by: {OWNER}")
    assert run(sec020, base_task(repo)).findings == []


def test_ci_approval_does_not_cover_a_later_edit_of_the_file(git_repo: Path) -> None:
    repo = feature_branch(policy_repo(git_repo))
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    ci_commit(repo, f"Tighten the drawdown\n\nApproved-by: {OWNER}")
    edit(repo, APEX, 'deadline: "16:59"', 'deadline: "16:30"')
    ci_commit(repo, "Earlier deadline")
    outcome = run(sec020, base_task(repo))
    [finding] = outcome.findings
    assert finding.severity == Severity.HIGH and "session.deadline" in finding.message
    assert any("not given after every change" in n for n in outcome.notes)


@pytest.mark.parametrize(
    ("changers", "approver", "blocked"),
    [
        ([OWNER], AUTHOR, False),  # the owner changed it, the other owner approves
        ([AUTHOR, OWNER], OWNER, True),  # the approver changed the file too
        ([AUTHOR, OWNER], AUTHOR, True),
    ],
    ids=["other-owner-approves", "approver-also-edited", "first-editor-approves"],
)
def test_ci_excludes_everyone_who_changed_the_file(
    git_repo: Path, changers: list[str], approver: str, blocked: bool
) -> None:
    repo = feature_branch(policy_repo(git_repo))
    values = iter(["9", "8"])
    for i, who in enumerate(changers):
        new = f'drawdown: {{basis: percent, percent: "{next(values)}"'
        edit(repo, APEX, DRAWDOWN if i == 0 else 'drawdown: {basis: percent, percent: "9"', new)
        ci_commit(repo, f"change {i}", email=who)
    ci_commit(repo, f"Review\n\nApproved-by: {approver}", email="maintainer@example.com")
    assert bool(run(sec020, base_task(repo)).findings) is blocked


def test_ci_change_left_in_the_work_tree_cannot_be_approved(git_repo: Path) -> None:
    repo = feature_branch(policy_repo(git_repo))
    ci_commit(repo, f"Nothing yet\n\nApproved-by: {OWNER}")
    edit(repo, APEX, DRAWDOWN, TIGHTER)  # never committed
    outcome = run(sec020, base_task(repo))
    assert len(outcome.findings) == 1 and any("work tree only" in n for n in outcome.notes)


@pytest.mark.parametrize(
    ("approve_after_merge", "blocked"), [(True, False), (False, True)], ids=["after", "on-one-side"]
)
def test_ci_approval_must_follow_both_sides_of_a_merge(
    git_repo: Path, approve_after_merge: bool, blocked: bool
) -> None:
    repo = feature_branch(policy_repo(git_repo))
    git(repo, "switch", "-q", "-c", "side")
    edit(repo, APEX, 'deadline: "16:59"', 'deadline: "16:30"')
    ci_commit(repo, "Earlier deadline")  # one side changes the file ...
    git(repo, "switch", "-q", "feature")
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    trailer = "" if approve_after_merge else f"\n\nApproved-by: {OWNER}"
    ci_commit(repo, f"Tighten the drawdown{trailer}")  # ... the other side too, approved only here
    git(repo, "merge", "-q", "--no-edit", "side")
    if approve_after_merge:
        ci_commit(repo, f"Review of both\n\nApproved-by: {OWNER}")
    assert bool(run(sec020, base_task(repo)).findings) is blocked
