"""SEC020 Protected change without approval: a protected file or policy key changed, no owner approved.

What is protected: `policies/access.yaml` lists paths (globs: `trading_core/risk/**`) and, for YAML
files, key patterns (`policies/apex.yaml` with `rulesets.*.drawdown.*`), each with its owners: email
addresses or `@team`s defined in the same file. For a path with keys, only a change of a protected
key's value counts (values before and after are compared as YAML trees): comments, formatting and
unprotected keys of the same file need no approval. Adding, deleting or renaming a protected file
counts. The rules in force are those of access.yaml before the change and after it, together, so a
change cannot lift its own protection.

Who approves: an owner who is neither the author nor the committer of the change, in one of two
ways.
- A commit trailer `Approved-by: <owner email>` (or `Approved-by: Name <email>`) in the last
  paragraph of the commit message: `git commit --trailer "Approved-by: alice@example.com"`.
- In CI, an approving pull-request review by an owner, read from the GitHub event payload (see
  access/github_event.py for the exact fields); the owner's GitHub login must be listed under
  `github_logins` in access.yaml. An approval given before the last push is stale.

Where it runs:
- `pre-commit` stage (`droid gate --staged`): the commit message does not exist yet, so nothing can
  be approved; each protected change is reported as a low-severity warning naming its owners, and
  the commit goes on.
- `commit-msg` stage: git passes the message file to the hook, which runs
  `droid gate --staged --commit-msg FILE` (the `droid-approval` hook of .pre-commit-hooks.yaml). An
  unapproved protected change blocks the commit (high).
- CI (`droid gate --base REV`): the commits between the merge base and HEAD. For each file, a trailer
  counts when its commit comes after every commit that changed the file; every author and committer
  of those commits is excluded from approving it. A pull-request approval of the current head
  counts too; the pull request's author never approves. Unapproved: blocks (high).
Audits and explicit paths have no change to approve: SEC020 does not run there.

A trailer is a declaration anyone can type; the review of the pull request is where it is checked,
and a PR approval is the stronger form. Every protected change is listed in the report's
`protected_changes` metric (path, keys with old -> new values, rule, approver, how). Each approved
one also goes to the audit trail when the gate's verdict is recorded: one "approval" entry per
changed key (or per file, key ""), with old and new values summarised so no secret is written
(audit_events.py), the approver, how (trailer or pr-review) and the commit that carried it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from droids.core.change import ChangeView
from droids.core.checks import CheckOutcome
from droids.core.models import AuditEvent, Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.security_compliance.access.approval_entries import APPROVAL, approval_details, shown_change
from droids.security_compliance.access.approvals import (
    TRAILER,
    Approval,
    CommitRange,
    Evidence,
    staged_evidence,
)
from droids.security_compliance.access.github_event import ReviewEvidence, review_evidence
from droids.security_compliance.access.patterns import dotted
from droids.security_compliance.access.protected import ProtectedChange, protected_changes, rules_in_force
from trading_core.policy.yamldoc import ABSENT

DROID = "security-compliance"
FIX = (
    "Have an owner review the change, then record the approval: add the trailer "
    f'"{TRAILER}: <owner email>" to the commit (git commit --amend --trailer "{TRAILER}: alice@example.com"), '
    "or, in CI, get an approving pull-request review from an owner whose GitHub login is under "
    "github_logins in policies/access.yaml. The author or committer of the change cannot approve it."
)
SEC020 = RuleSpec(
    id="SEC020",
    droid=DROID,
    severity=Severity.HIGH,
    title="Protected change without approval",
    description=__doc__ or "",
    fix=FIX,
)
RULES = (SEC020,)
_SHOWN_KEYS = 5
_FILE_VERB = {"A": "added", "D": "deleted", "R": "renamed", "C": "copied", "T": "retyped"}


INTENT = ("approval", "approve", "owner", "access", "protected", "permission", "who changed", "trailer", "review")


def applies(task: Task) -> bool:
    """Only a change (staged, or against a base) has an author and approvals to judge."""
    return task.mode == "gate" and task.targets.kind in ("staged", "base")


@dataclass(frozen=True)
class Verdict:
    approval: Approval | None
    ignored: tuple[str, ...]  # approvals that did not count, and why


def judge(item: ProtectedChange, evidence: Evidence) -> Verdict:
    ignored = []
    for approval in evidence.approvals:
        if approval.email not in item.rule.owner_emails:
            ignored.append(f"{approval.email} ({approval.via}) is not an owner")
        elif approval.email in evidence.excluded:
            ignored.append(f"{approval.email} ({approval.via}) is {evidence.excluded[approval.email]}")
        else:
            return Verdict(approval, ())
    return Verdict(None, tuple(ignored))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    change = ctx.workspace(task).change
    policy, notes = rules_in_force(task, change)
    if policy is None:
        return CheckOutcome(notes=[*notes, "SEC020: no policies/access.yaml, nothing is protected"])
    items = protected_changes(change, policy)
    if not items:
        return CheckOutcome(notes=notes, metrics={"protected_changes": []})
    evidence_of = _evidence_source(task, change, policy.github_logins)
    findings, records, events = [], [], []
    for item in items:
        evidence = evidence_of(item)
        verdict = judge(item, evidence)
        records.append(_record(item, verdict))
        if verdict.approval is None:
            findings.append(_finding(item, verdict, evidence))
        else:
            events += _approval_events(item, verdict.approval)
            notes.append(f"SEC020: {_what(item)}: approved by {verdict.approval.email} ({verdict.approval.via})")
        notes += evidence.notes
    return CheckOutcome(
        findings=findings,
        notes=list(dict.fromkeys(notes)),
        metrics={"protected_changes": records},
        audit_events=_unique(events),
    )


def _evidence_source(task: Task, change: ChangeView, logins: dict[str, str]) -> Callable[[ProtectedChange], Evidence]:
    """A function giving each protected change its evidence (trailers, reviews, who is excluded)."""
    if change.kind == "staged":
        staged = staged_evidence(change, task.commit_message)
        return lambda item: staged
    commits = CommitRange(change)
    event, source = task.event, task.event_source or "the CI event payload"
    reviews = review_evidence(change, logins, event, source) if event is not None else ReviewEvidence()
    per_file: dict[tuple[str, ...], Evidence] = {}

    def evidence_of(item: ProtectedChange) -> Evidence:
        if item.file.paths not in per_file:
            found = commits.evidence_for(item.file.paths)
            found.approvals += reviews.approvals
            found.excluded = {**reviews.excluded, **found.excluded}
            found.notes += reviews.notes
            per_file[item.file.paths] = found
        return per_file[item.file.paths]

    return evidence_of


def _what(item: ProtectedChange) -> str:
    if item.unparsed:
        side = {"before": "before this change", "after": "after this change"}.get(item.unparsed, "on either side")
        return f"{item.file.path} (not valid YAML {side}: every protected key counts as changed)"
    if item.keys is None:
        verb = _FILE_VERB.get(item.file.status, "changed")
        moved = f" (from {item.file.old_path})" if item.file.old_path != item.file.path else ""
        return f"protected file {item.file.path} {verb}{moved}"
    keys = [dotted(k) for k in item.keys]
    more = f" and {len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else ""
    return f"{item.file.path}: protected keys {', '.join(keys[:_SHOWN_KEYS])}{more} changed"


def _finding(item: ProtectedChange, verdict: Verdict, evidence: Evidence) -> Finding:
    owners = ", ".join(item.rule.owners)
    emails = ", ".join(sorted(item.rule.owner_emails))
    why = f" ({item.rule.reason})" if item.rule.reason else ""
    ignored = f"; ignored: {'; '.join(verdict.ignored)}" if verdict.ignored else ""
    if evidence.message_seen:
        severity, when = Severity.HIGH, ""
    else:
        severity = Severity.LOW
        when = (
            f"; the commit message is not known at the pre-commit stage: add '{TRAILER}: <owner>' to it, "
            f"the commit-msg hook (droid gate --staged --commit-msg FILE) and CI check it"
        )
    keys = "|".join(dotted(k) for k in item.keys) if item.keys else item.file.status
    return Finding(
        rule=SEC020.id,
        droid=DROID,
        severity=severity,
        title=SEC020.title,
        message=f"{_what(item)} without an owner's approval{why}: owners {owners} ({emails}){ignored}{when}",
        path=item.file.path,
        line=item.line,
        fingerprint=fingerprint(SEC020.id, item.file.path, f"{item.rule.path}\0{keys}"),
        fix=FIX,
        protected_by=item.rule.path,
        owners=sorted(item.rule.owner_emails),
    )


def _changed_values(item: ProtectedChange) -> list[tuple[str, object, object]]:
    """(key, old, new) per changed protected key; key "" and the file's fate (FILE_FATES) for a whole file."""
    if item.keys is not None and not item.unparsed:
        return [(dotted(k), old, new) for k, (old, new) in zip(item.keys, item.values, strict=True)]
    status = item.file.status
    old = ABSENT if status in "AC" else "invalid-yaml" if item.unparsed in ("before", "both") else "existing"
    if status == "D":
        new = ABSENT
    elif item.unparsed in ("after", "both"):
        new = "invalid-yaml"
    else:
        new = _FILE_VERB.get(status, "modified")
    return [("", old, new)]


def _approval_events(item: ProtectedChange, approval: Approval) -> list[AuditEvent]:
    return [
        AuditEvent(
            kind=APPROVAL,
            verdict="approved",
            details=approval_details(
                path=item.file.path,
                key=key,
                old=old,
                new=new,
                approver=approval.email,
                commit=approval.commit,
                via=approval.kind,
                from_path=item.file.old_path,
            ),
        )
        for key, old, new in _changed_values(item)
    ]


def _unique(events: list[AuditEvent]) -> list[AuditEvent]:
    """One event per (path, key, approver, commit): overlapping rules protect some keys twice."""
    seen: dict[tuple[object, ...], AuditEvent] = {}
    for event in events:
        d = event.details
        seen.setdefault((d["path"], d["key"], d["approver"], d["commit"]), event)
    return list(seen.values())


def _record(item: ProtectedChange, verdict: Verdict) -> dict[str, object]:
    changes = []
    for key, old, new in _changed_values(item):
        old_shown, new_shown = shown_change(item.file.path, key, old, new)
        changes.append({"key": key, "old": old_shown, "new": new_shown})
    return {
        "path": item.file.path,
        "from": item.file.old_path if item.file.old_path != item.file.path else None,
        "status": item.file.status,
        "keys": [dotted(k) for k in item.keys] if item.keys else None,
        "changes": changes,
        "rule": item.rule.path,
        "approved_by": verdict.approval.email if verdict.approval else None,
        "via": verdict.approval.via if verdict.approval else None,
        "commit": verdict.approval.commit if verdict.approval else None,
    }
