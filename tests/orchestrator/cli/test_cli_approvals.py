"""The whole gate on a protected Apex change, as the commit-msg hook runs it: verdict, report, trail.

An owner's `Approved-by:` trailer lets the change through and the trail gets an "approval" entry
(path, key, old -> new, approver) right after the gate's own entry; without it the gate blocks and
nothing is recorded as approved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, git
from tests.droids.security_compliance.access.test_sec020_access_control import APEX, DRAWDOWN, OWNER, edit, policy_repo
from tests.orchestrator.cli.helpers import droid

TIGHTER = 'drawdown: {basis: percent, percent: "9"'


def _repo_with_every_policy(repo: Path) -> Path:
    policy_repo(repo)
    for path in (REPO_ROOT / "policies").glob("*.yaml"):
        if not (repo / "policies" / path.name).exists():
            shutil.copy(path, repo / "policies" / path.name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "all policies")
    return repo


@pytest.mark.slow
@pytest.mark.parametrize(
    ("trailer", "code", "kinds"),
    [(f"\n\nApproved-by: {OWNER}", 0, ["gate", "approval"]), ("", 1, ["gate"])],
    ids=["owner-approved", "unapproved"],
)
def test_commit_msg_gate_records_the_approval_it_accepted(
    git_repo: Path, tmp_path: Path, trailer: str, code: int, kinds: list[str]
) -> None:
    repo = _repo_with_every_policy(git_repo)
    edit(repo, APEX, DRAWDOWN, TIGHTER)
    git(repo, "add", APEX)
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(f"Tighten the drawdown{trailer}\n")
    policies = str(repo / "policies")
    result = droid(
        "--policies", policies, "gate", "--staged", "--commit-msg", str(message), "--format", "json", cwd=repo
    )
    assert result.code == code, result.err
    report = result.json()
    trail = droid("audit-log", "show", "--format", "json", cwd=repo)
    entries = trail.json()
    assert [e["kind"] for e in entries] == kinds
    assert droid("audit-log", "verify", cwd=repo).code == 0
    if code == 1:
        assert [f["rule"] for f in report["findings"] if f["path"] == APEX] == ["SEC020"]
        assert "audit_events" not in report
        return
    approval = entries[1]
    assert approval["details"] == {
        "path": APEX,
        "key": "rulesets.seed.drawdown.percent",
        "old": "10",
        "new": "9",
        "approver": OWNER,
        "commit": None,  # the commit does not exist yet at the commit-msg stage
        "via": "trailer",
        "run": entries[0]["seq"],  # the gate entry that let it through
    }
    assert report["audit_events"] == [{"seq": approval["seq"], "hash": approval["hash"], "kind": "approval"}]
    text = droid("audit-log", "show", cwd=repo).out
    assert f"{APEX}:rulesets.seed.drawdown.percent 10 -> 9 approved by {OWNER} (trailer)" in text
