"""SEC020 in CI: pull-request approvals read from GitHub event payload files shaped like GitHub's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from droids.core.errors import DroidError
from droids.security_compliance.access import sec020_access_control as sec020
from tests.conftest import git
from tests.droids.security_compliance.access.test_sec020_access_control import (
    APEX,
    DRAWDOWN,
    OWNER,
    base_task,
    edit,
    policy_repo,
    run,
)

REPO_JSON = {"id": 4242, "name": "trading", "full_name": "acme/trading", "private": True}


def _user(login: str, uid: int) -> dict[str, Any]:
    return {"login": login, "id": uid, "node_id": f"U_{uid}", "type": "User", "site_admin": False}


def pull_request(head: str, base: str, author: str = "pr-author", number: int = 7) -> dict[str, Any]:
    return {
        "url": f"https://api.github.com/repos/acme/trading/pulls/{number}",
        "id": 900 + number,
        "number": number,
        "state": "open",
        "title": "Tighten the seed drawdown",
        "user": _user(author, 3001),
        "body": "Risk asked for 9 %.",
        "head": {"label": "acme:feature", "ref": "feature", "sha": head, "user": _user("acme", 1), "repo": REPO_JSON},
        "base": {"label": "acme:main", "ref": "main", "sha": base, "user": _user("acme", 1), "repo": REPO_JSON},
        "draft": False,
        "merged": False,
    }


def review(login: str, commit_id: str, state: str = "approved", rid: int = 1) -> dict[str, Any]:
    return {
        "id": 7000 + rid,
        "node_id": f"PRR_{rid}",
        "user": _user(login, 2000 + rid),
        "body": "Looks right.",
        "commit_id": commit_id,
        "submitted_at": "2026-03-05T14:00:00Z",
        "state": state,
        "html_url": f"https://github.com/acme/trading/pull/7#pullrequestreview-{7000 + rid}",
        "author_association": "MEMBER",
    }


def review_event(pr: dict[str, Any], the_review: dict[str, Any]) -> dict[str, Any]:
    """A `pull_request_review` (submitted) payload."""
    return {"action": "submitted", "review": the_review, "pull_request": pr, "repository": REPO_JSON,
            "sender": the_review["user"]}  # fmt: skip


def pr_repo(git_repo: Path) -> tuple[Path, str, str]:
    repo = policy_repo(git_repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "switch", "-q", "-c", "feature")
    edit(repo, APEX, DRAWDOWN, 'drawdown: {basis: percent, percent: "9"')
    git(repo, "commit", "-q", "-am", "Tighten the drawdown")
    return repo, base, git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True)
def _no_runner_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_EVENT_PATH", "DROID_GITHUB_EVENT_PATH", "DROID_COMMIT_MSG_FILE"):
        monkeypatch.delenv(name, raising=False)


def use_payload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: Any, var: str = "GITHUB_EVENT_PATH") -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload, indent=2) if not isinstance(payload, str) else payload)
    monkeypatch.setenv(var, str(path))
    return path


# (reviews as (login, state, stale?), the PR author's login, blocked?, what the notes say)
REVIEW_CASES = [
    ([("risk-gh", "approved", False)], "pr-author", False, None),
    ([("risk-gh", "APPROVED", False)], "pr-author", False, None),
    ([("risk-gh", "approved", True)], "pr-author", True, "is stale"),
    ([("someone-gh", "approved", False)], "pr-author", True, "not under github_logins"),
    ([("risk-gh", "commented", False)], "pr-author", True, None),
    ([("risk-gh", "approved", False)], "risk-gh", True, "the author of pull request #7"),
    ([("dev-gh", "approved", False)], "pr-author", True, "is the author of"),  # dev wrote the commit
    ([("risk-gh", "approved", False), ("risk-gh", "changes_requested", False)], "pr-author", True, None),
    ([("risk-gh", "changes_requested", False), ("risk-gh", "approved", False)], "pr-author", False, None),
    ([("risk-gh", "approved", False), ("risk-gh", "commented", False)], "pr-author", False, None),
]  # fmt: skip
REVIEW_IDS = [
    "owner-approves", "rest-style-state", "stale-approval", "unmapped-login", "comment-only", "pr-author-approves",
    "commit-author-approves", "approval-then-changes-requested", "changes-requested-then-approval",
    "approval-then-comment",
]  # fmt: skip


@pytest.mark.parametrize(("reviews", "pr_author", "blocked", "note"), REVIEW_CASES, ids=REVIEW_IDS)
def test_pull_request_review_payload(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    reviews: list[tuple[str, str, bool]], pr_author: str, blocked: bool, note: str | None,
) -> None:  # fmt: skip
    repo, base, head = pr_repo(git_repo)
    listed = [review(login, base if stale else head, state, i) for i, (login, state, stale) in enumerate(reviews)]
    pr = pull_request(head, base, author=pr_author)
    # the event carries the newest review; older ones come as the REST list a workflow may add
    payload = {**review_event(pr, listed[-1]), "reviews": listed[:-1]}
    use_payload(tmp_path, monkeypatch, payload)
    outcome = run(sec020, base_task(repo))
    assert bool(outcome.findings) is blocked, outcome.notes
    if note:
        assert any(note in n for n in outcome.notes) or any(note in f.message for f in outcome.findings)
    if not blocked:
        [record] = outcome.metrics["protected_changes"]
        assert record["approved_by"] == OWNER
        assert record["via"] == "approving review by @risk-gh on pull request #7"
        [event] = outcome.audit_events
        assert (event.details["via"], event.details["commit"], event.details["approver"]) == ("pr-review", head, OWNER)
    else:
        assert outcome.audit_events == []


def test_approval_on_the_merge_commit_checkout_of_a_pull_request(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """actions/checkout builds refs/pull/N/merge: HEAD is a merge whose second parent is the PR head."""
    repo, base, head = pr_repo(git_repo)
    git(repo, "switch", "-q", "main")
    (repo / "NEWS.md").write_text("main moved on\n")
    git(repo, "add", "NEWS.md")
    git(repo, "commit", "-q", "-m", "main moved on")
    git(repo, "switch", "-q", "-c", "pull-7-merge")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    use_payload(tmp_path, monkeypatch, review_event(pull_request(head, base), review("risk-gh", head)))
    assert run(sec020, base_task(repo)).findings == []


def test_payload_about_other_code_is_ignored(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, _ = pr_repo(git_repo)
    use_payload(tmp_path, monkeypatch, review_event(pull_request(base, base), review("risk-gh", base)))
    outcome = run(sec020, base_task(repo))
    assert len(outcome.findings) == 1 and any("not this HEAD: reviews ignored" in n for n in outcome.notes)


def test_push_event_has_no_reviews(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, head = pr_repo(git_repo)
    push = {"ref": "refs/heads/feature", "before": base, "after": head, "repository": REPO_JSON,
            "pusher": {"name": "dev", "email": "dev@example.com"}, "commits": []}  # fmt: skip
    use_payload(tmp_path, monkeypatch, push)
    outcome = run(sec020, base_task(repo))
    assert len(outcome.findings) == 1 and any("not a pull-request event" in n for n in outcome.notes)


def test_droid_variable_names_the_payload_first(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, base, head = pr_repo(git_repo)
    (tmp_path / "runner").mkdir()
    use_payload(tmp_path / "runner", monkeypatch, {"ref": "refs/heads/feature"})
    use_payload(tmp_path, monkeypatch, review_event(pull_request(head, base), review("risk-gh", head)),
                var="DROID_GITHUB_EVENT_PATH")  # fmt: skip
    assert run(sec020, base_task(repo)).findings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [('{"action": "submitted",\n  "review": }', r"event\.json:2: GitHub event payload is not valid JSON"),
     ("[1, 2]", "event.json: GitHub event payload: expected a JSON object")],
    ids=["malformed", "not-an-object"],
)  # fmt: skip
def test_bad_payload_is_bad_input(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    repo, _, _ = pr_repo(git_repo)
    use_payload(tmp_path, monkeypatch, text)
    with pytest.raises(DroidError, match=expected):
        run(sec020, base_task(repo))
