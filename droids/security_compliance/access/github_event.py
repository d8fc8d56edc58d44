"""Pull-request approvals from the GitHub Actions event payload (CI only).

The payload is read by the orchestrator onto the task (droids.core.ci_context). These fields are
read, nothing else:

- `pull_request.number`, `pull_request.user.login` (the PR author: never an approver) and
  `pull_request.head.sha` (the commit under review). It must be HEAD, or the second parent of HEAD
  when HEAD is the merge commit actions/checkout builds for a pull request (refs/pull/N/merge);
  otherwise the payload is about other code and its approvals are ignored.
- `review.state`, `review.user.login`, `review.commit_id`: the review of a `pull_request_review`
  event (`state` "approved").
- `reviews[]` with the same three fields (`state` "APPROVED", as the REST API's list of a pull
  request's reviews returns them): optional, for workflows that add that list to the payload. Per
  login the latest approved / changes_requested / dismissed review decides; comments do not.

A review counts only when its `commit_id` is `pull_request.head.sha` (an approval given before the
last push is stale) and its login is mapped to an owner email under `github_logins` in access.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from droids.core import git
from droids.core.change import ChangeView
from droids.security_compliance.access.approvals import Approval

_DECISIVE = {"approved", "changes_requested", "dismissed"}


@dataclass
class ReviewEvidence:
    approvals: list[Approval] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)  # email or @login -> why
    notes: list[str] = field(default_factory=list)


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _reviews(event: dict[str, Any]) -> list[dict[str, Any]]:
    listed = event.get("reviews")
    reviews = [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []
    if isinstance(event.get("review"), dict):
        reviews.append(event["review"])  # the event's own review is the newest
    return reviews


def review_evidence(change: ChangeView, logins: dict[str, str], event: dict[str, Any], path: str) -> ReviewEvidence:
    """Approvals in the CI `event` payload (read from `path`, named in notes)."""
    out = ReviewEvidence()
    pr = event.get("pull_request")
    head_sha = _get(pr, "head", "sha")
    if not isinstance(pr, dict) or not isinstance(head_sha, str):
        out.notes.append(f"{path}: not a pull-request event, no review approvals read")
        return out
    number = pr.get("number")
    # HEAD itself, or the second parent of the merge commit actions/checkout builds for a pull request
    heads = git.try_text(change.repo, "rev-parse", "HEAD").split()
    heads += git.try_text(change.repo, "rev-parse", "--verify", "--quiet", "HEAD^2").split()
    if head_sha not in heads:
        out.notes.append(f"{path}: pull request #{number} is about {head_sha[:7]}, not this HEAD: reviews ignored")
        return out
    author = _get(pr, "user", "login")
    if isinstance(author, str):
        out.excluded["@" + author.lower()] = f"the author of pull request #{number}"
        if author.lower() in logins:
            out.excluded[logins[author.lower()]] = f"the author of pull request #{number}"
    latest: dict[str, dict[str, Any]] = {}
    for review in _reviews(event):
        login, state = _get(review, "user", "login"), str(review.get("state", "")).lower()
        if isinstance(login, str) and state in _DECISIVE:
            latest[login.lower()] = review
    for login, review in sorted(latest.items()):
        if str(review.get("state")).lower() != "approved":
            continue
        if review.get("commit_id") != head_sha:
            out.notes.append(f"approval by @{login} on pull request #{number} is stale (given before the last push)")
        elif login not in logins:
            out.notes.append(f"approval by @{login} ignored: the login is not under github_logins in access.yaml")
        elif "@" + login in out.excluded:
            out.notes.append(f"approval by @{login} ignored: {out.excluded['@' + login]} cannot approve it")
        else:
            via = f"approving review by @{login} on pull request #{number}"
            out.approvals.append(Approval(logins[login], via, "pr-review", head_sha))
    return out
