"""The data that flows between the orchestrator and the droids.

`Task` goes in, each droid returns a `DroidReport`, the orchestrator merges them into a `RunReport`.
Renderers only read a `RunReport`. All are pydantic models; the ones a droid receives are frozen so
no droid can change what another droid sees.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "droid-report/1"


class Severity(StrEnum):
    """How bad a finding is: info < low < medium < high < critical."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {s: i for i, s in enumerate(Severity)}

RunMode = Literal["gate", "audit", "ask", "run"]
# A gate picks its thresholds by where it runs; the other modes are their own profile.
Profile = Literal["pre-commit", "ci", "audit", "ask", "run"]
TargetKind = Literal["staged", "base", "paths", "tree"]
DroidStatus = Literal["ok", "error", "skipped", "timeout"]
Verdict = Literal["pass", "warn", "block"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileChange(_Frozen):
    """One file a change touches: git's status letter (A, M, D, R, C, T), the path after the change
    (for a deletion: the deleted path) and the path before (differs for renames and copies)."""

    status: str
    path: str
    old_path: str

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.old_path == self.path else (self.old_path, self.path)


class Targets(_Frozen):
    """What a run looks at.

    - `staged`: the blobs in the git index (pre-commit), not the working-tree files;
    - `base`: files changed between `base` and the working tree (CI);
    - `paths`: the given files;
    - `tree`: every tracked file (audit).
    `paths` always holds the repo-relative, `/`-separated paths the run covers. For a change
    (`staged`, `base`), `base_commit` is what it is compared with (HEAD, None on an unborn branch;
    the merge base of `base` and HEAD), `head` the commit HEAD named, and `changes` every file it
    touches, deletions and both sides of a rename included. Built by `droids.core.targets`, which
    asks git once; when a caller leaves them out (None), the run's workspace asks git itself.
    """

    kind: TargetKind
    paths: tuple[str, ...] = ()
    base: str | None = None
    base_commit: str | None = None
    head: str | None = None
    changes: tuple[FileChange, ...] | None = None


class Task(_Frozen):
    """One request to one or more droids.

    `commit_message`: the message of the commit being made, at the commit-msg stage (approval
    trailers). `event`: the CI event payload (GitHub's pull-request event, for review approvals) and
    `event_source` the file it came from, for messages. Both travel here, never through os.environ.
    """

    mode: RunMode
    profile: Profile
    request: str = ""
    repo: Path
    policies: Path
    targets: Targets
    time_limit_s: float = 60.0
    commit_message: str | None = None
    event: dict[str, Any] | None = None
    event_source: str | None = None
    no_exec: bool = False  # skip the checks that run the repository's code (--no-exec)


class RuleSpec(_Frozen):
    """A rule a droid checks: stable id, default severity, one-line title, user documentation."""

    id: str
    droid: str
    severity: Severity
    title: str
    description: str
    fix: str = ""


class Finding(BaseModel):
    """One problem at one place. Extra keys (e.g. `event_index` for Apex violations) are kept.

    `evidence` never holds a secret's value: at most its first 4 characters followed by `****`.
    `preexisting`: in a gate, the finding is on a line the change did not add or modify (it was
    there before): it is reported apart and does not count toward the verdict.
    An optional extra key `subrule` names a finer check within the rule (bandit's test id `B602`
    under SEC010): a suppression in gates.yaml may then name `SEC010/B602` (see `rule_ids`).
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    rule: str
    droid: str
    severity: Severity
    title: str
    message: str
    path: str | None = None
    line: int | None = None
    commit: str | None = None
    evidence: str | None = None
    fingerprint: str
    fix: str = ""
    suppressed: bool = False
    suppression: str | None = None
    preexisting: bool = False

    def rule_ids(self) -> tuple[str, ...]:
        """The ids a policy may name this finding by: the rule, and `rule/subrule` when there is one."""
        sub = (self.model_extra or {}).get("subrule")
        return (self.rule, f"{self.rule}/{sub}") if sub else (self.rule,)


def fingerprint(rule: str, path: str | None, content: str) -> str:
    """Stable identity of a finding: rule, path and normalised matched content, not the line number.

    Callers pass content that is safe to hash into a report. For a secret that is never the secret
    nor a plain hash of it (which would confirm a guessed secret offline) but its hash keyed under
    the repository's key: `droids.core.fingerprint_key.run_key(workspace).keyed(hash)`.
    """
    normalised = " ".join(content.split())
    digest = hashlib.sha256(f"{rule}\0{path or ''}\0{normalised}".encode()).hexdigest()
    return f"sha256:{digest}"


class AuditEvent(_Frozen):
    """A sensitive operation a droid saw, for the orchestrator to append to the audit trail.

    E.g. an owner-approved change to a protected Apex limit (kind "approval"). The orchestrator
    writes events only for recorded runs (gate, audit), right after the run's own verdict entry, with
    the same profile, who and head. `details` is plain JSON and must hold no secret value.
    """

    kind: str
    verdict: str
    details: dict[str, Any] = Field(default_factory=dict)


class DroidReport(BaseModel):
    """What one droid returns for one task."""

    model_config = ConfigDict(extra="forbid")

    name: str
    status: DroidStatus = "ok"
    duration_ms: int = 0
    findings: list[Finding] = Field(default_factory=list)
    rules_checked: list[str] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    error: str | None = None
    bad_input: bool = False
    answer: str | None = None
    audit_events: list[AuditEvent] = Field(default_factory=list)


class RoutingDecision(_Frozen):
    """Which droid a run picked and why (trigger words, mentions, changed paths, mode)."""

    droid: str
    reasons: tuple[str, ...]


class RunReport(BaseModel):
    """What the orchestrator returns: routing, every droid's report, merged findings, one verdict."""

    model_config = ConfigDict(extra="forbid")

    schema_: str = Field(default=SCHEMA, alias="schema")
    tool_version: str
    mode: RunMode
    profile: Profile
    request: str = ""
    repo: str
    started_at: str
    duration_ms: int = 0
    routing: list[RoutingDecision] = Field(default_factory=list)
    droids: list[DroidReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    block_at: Severity = Severity.HIGH
    verdict: Verdict = "pass"
    answer: str = ""
    notes: list[str] = Field(default_factory=list)  # about the run as a whole, said once
    extra: dict[str, Any] = Field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """Active findings (not suppressed, not pre-existing) counted by severity, every severity present."""
        counts = {s.value: 0 for s in Severity}
        for f in self.active():
            counts[f.severity.value] += 1
        return counts

    def active(self) -> list[Finding]:
        """The findings that count: neither suppressed nor pre-existing."""
        return [f for f in self.findings if not f.suppressed and not f.preexisting]

    def preexisting(self) -> list[Finding]:
        return [f for f in self.findings if f.preexisting and not f.suppressed]

    def failed_droids(self) -> list[DroidReport]:
        return [d for d in self.droids if d.status in ("error", "timeout")]
