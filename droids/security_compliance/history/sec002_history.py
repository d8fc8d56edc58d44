"""SEC002 Secret in git history: a credential that some commit added, even if a later one removed it.

Deleting a key from the code does not un-leak it: anyone with a clone can still read the commit
that added it. SEC002 scans every commit reachable from any ref (branches, tags, remote-tracking
refs, HEAD, also when detached) and reports, for each secret and path: the commit that introduced
it (id, author email, author date; the earliest by commit time if several added it), the path and
line in that commit's version of the file, and whether it is still at HEAD: at the same path, or
anywhere else in the HEAD tree (`head_paths`).

What it finds is what SEC001 finds: the same detect-secrets detectors and filters, the same extra
false-positive filters, the same `# pragma: allowlist secret` comments (a line allowlisted when it
was committed is not reported), the same severities and redacted evidence. Only the lines a commit
added count as introduced by it; each blob is scanned once, a renamed file does not re-introduce
what it holds, and a merge introduces only what none of its parents had (a conflict resolution).
A secret listed in `.secrets.baseline` for its path is reported as suppressed. Its fingerprint,
like SEC001's, holds the secret's hash only as an HMAC under the repository's fingerprint key.

Incremental: `.droid/sec002-history.sqlite` remembers each ref's last scanned commit and every
blob already scanned, as hashes and redacted evidence, never a secret's value. The next run scans
only new commits; when history was rewritten (a ref force-pushed or deleted), findings whose
commits no ref reaches any more are dropped, with a note. `droid security history --since REV`
reports only secrets introduced by commits after REV (reachable from a ref but not from REV).

Not checked, always with a note: binary blobs and blobs over 2 MB (as in SEC001); in a shallow
clone, the history before its boundary commits (a LOW finding says so too: fetch the full history
to scan it); a secret in a boundary commit is reported there but may be older.

Severity: as SEC001 (critical for private keys and cloud or payment provider keys, high for the
rest), whether or not the secret is still at HEAD: once pushed, it is leaked either way. Besides
`commit`, a finding carries `author_email`, `date`, `secret_types`, `still_at_head`,
`still_at_head_same_path`, `head_paths` and `commits_adding` (how many commits added it there).

Where it runs: `droid security history`, `droid audit`, `droid run security-compliance` over the
whole tree, and `droid ask` when the question is about history or commits; never in a pre-commit
or CI gate, which judges a change, not the past.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from droids.core.checks import CheckOutcome
from droids.core.fingerprint_key import FingerprintKey, note_once, repository_key, run_key
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.progress import Step, quiet_step
from droids.core.protocol import DroidContext

if TYPE_CHECKING:
    from droids.security_compliance.history.scan import Introduced, ScanOutcome

DROID = "security-compliance"
FIX = (
    "Treat the secret as leaked: revoke or rotate it now (removing it from the code does not remove it from "
    "history, and every clone has a copy). Then load it at run time from the environment or a secret store. "
    "Rewriting history (git filter-repo --replace-text) only helps once the key is revoked and every clone "
    "is replaced. If it is not a secret, record it in .secrets.baseline."
)
SEC002 = RuleSpec(
    id="SEC002",
    droid=DROID,
    severity=Severity.HIGH,
    title="Secret in git history",
    description=__doc__ or "",
    fix=FIX,
)
SHALLOW_FIX = "Fetch the whole history (git fetch --unshallow; in CI, actions/checkout with fetch-depth: 0)."
RULES = (SEC002,)
INTENT = ("history", "commit", "git log", "past", "ever", "previous")
ASK_BY_DEFAULT = False  # reading every commit takes seconds to minutes: only when a question names history


@dataclass
class HistoryResult:
    """What `droid security history` prints: findings, notes for the report, metrics."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    secrets: int = 0  # findings of secrets (not the shallow-clone note)


def applies(task: Task) -> bool:
    """An audit reads history; so do `droid run` over the whole tree and a question about history.
    A gate never does: a pre-commit or CI gate judges the change, and history is not part of it."""
    if task.mode == "audit":
        return True
    if task.mode == "run":
        return task.targets.kind == "tree"
    return task.mode == "ask"  # when the question names history (INTENT)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    workspace = ctx.workspace(task)
    result = scan_history(task.repo, ctx.state_dir, step=ctx.step(DROID, SEC002.id), key=lambda: run_key(workspace))
    notes = result.notes + (note_once(workspace) if result.secrets else [])
    return CheckOutcome(findings=result.findings, notes=notes, metrics={"history": result.metrics})


def scan_history(
    repo: Path,
    state_dir: Path,
    since: str | None = None,
    cache_dir: Path | None = None,
    step: Step = quiet_step,
    key: Callable[[], FingerprintKey] | None = None,
) -> HistoryResult:
    """Scan the history of `repo`, keeping incremental state in `state_dir` (`<repo>/.droid`).

    `since`: only secrets introduced by commits after that revision. `cache_dir`: SEC001's scan
    cache, shared to check HEAD (default: `<state_dir>/cache/security-compliance`). `key`: the
    fingerprint key, asked only when a secret was found (default: the repository's, with its note
    among the result's notes). Raises DroidError for a path that is not a git repository or an
    unknown `since` revision.
    """
    from droids.security_compliance.history.scan import scan_repository
    from droids.security_compliance.secrets.baseline import load_baseline

    accepted = load_baseline(repo)
    if cache_dir is None:
        try:
            cache_dir = DroidContext(state_dir).cache_dir(DROID)
        except OSError:
            cache_dir = None  # the history state says so in a note; HEAD is then checked uncached
    outcome = scan_repository(repo, state_dir, since, cache_dir, step)
    known, notes = outcome.head is not None, list(outcome.notes)
    findings = []
    if outcome.secrets:
        fingerprint_key = key() if key is not None else repository_key(repo)
        notes += [fingerprint_key.note] if key is None and fingerprint_key.note else []
        findings = [
            to_finding(item, accepted.get(item.secret.path, frozenset()), fingerprint_key, known)
            for item in outcome.secrets
        ]
    return HistoryResult(
        findings=findings + _shallow_findings(outcome), notes=notes, metrics=outcome.metrics, secrets=len(findings)
    )


def to_finding(item: Introduced, accepted: frozenset[str], key: FingerprintKey, head_known: bool = True) -> Finding:
    from droids.security_compliance.secrets.sec001_hardcoded_secret import GENERIC_TYPES, severity_of

    secret, commit = item.secret, item.commit
    types = sorted(item.types, key=lambda t: (t in GENERIC_TYPES, -severity_of(t).rank, t))
    where = f"{secret.path}:{item.line}"
    if not head_known:
        status = "HEAD has no commit to compare with"
    elif secret.path in secret.head_paths:
        status = "still at HEAD"
    elif secret.head_paths:
        status = f"removed from {secret.path} but still at HEAD in {', '.join(secret.head_paths)}"
    else:
        status = "no longer at HEAD, still in history"
    origin = (
        f"boundary commit {commit.commit[:12]} of this shallow clone (maybe earlier)"
        if item.at_boundary
        else (f"commit {commit.commit[:12]} by {commit.email} on {commit.date}")
    )
    suppressed = bool(secret.hashes) and secret.hashes <= accepted
    return Finding(
        rule=SEC002.id,
        droid=DROID,
        severity=max((severity_of(t) for t in types), key=lambda s: s.rank),
        title=SEC002.title,
        message=f"{types[0]} added to {where} in {origin}; {status}",
        path=secret.path,
        line=item.line,
        commit=commit.commit,
        evidence=secret.evidence,
        fingerprint=fingerprint(SEC002.id, secret.path, key.keyed(secret.group)),  # as SEC001's: keyed
        fix=FIX,
        suppressed=suppressed,
        suppression=".secrets.baseline" if suppressed else None,
        author_email=commit.email,
        date=commit.date,
        secret_types=types,
        still_at_head=bool(secret.head_paths) if head_known else None,
        still_at_head_same_path=secret.path in secret.head_paths if head_known else None,
        head_paths=secret.head_paths,
        commits_adding=item.commits,
    )


def _shallow_findings(outcome: ScanOutcome) -> list[Finding]:
    if not outcome.shallow_boundary:
        return []
    boundary = sorted(outcome.shallow_boundary)
    shown = ", ".join(sha[:12] for sha in boundary[:3]) + (" ..." if len(boundary) > 3 else "")
    return [
        Finding(
            rule=SEC002.id,
            droid=DROID,
            severity=Severity.LOW,
            title="Git history only partly scanned (shallow clone)",
            message=f"history before the shallow boundary ({shown}) is not in this clone: secrets committed"
            " there were not checked",
            fingerprint=fingerprint(SEC002.id, None, "shallow-clone"),
            fix=SHALLOW_FIX,
        )
    ]
