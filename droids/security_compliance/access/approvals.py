"""Who approved a change, and who may not approve it (its authors and committers).

Approvals are `Approved-by:` commit trailers (parsed by git itself, so they must sit in the last
paragraph of the message, as `git commit --trailer "Approved-by: alice@example.com"` writes them);
the value is an email address or `Name <email>`. Where they are read:

- staged (pre-commit): the commit does not exist yet. The message is the task's `commit_message`,
  read from the file the `commit-msg` hook passes to `droid gate --staged --commit-msg FILE`.
  Without it (the `pre-commit` stage) no approval can be seen.
  Author and committer are git's own view of the commit about to be made (`git var`).
- base (CI): the non-merge commits between the merge base and HEAD. For a file, an approval counts
  when its commit has every commit that changed the file as an ancestor (or is that commit): an
  approval given before a later edit does not cover the edit. Every author and committer of a commit
  that changed the file is excluded from approving it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from droids.core import git
from droids.core.change import ChangeView

TRAILER = "Approved-by"
_ANGLE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_BARE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_FIELD, _RECORD, _VALUE = "\x1f", "\x1e", "\x1d"


@dataclass(frozen=True)
class Approval:
    email: str
    via: str  # where it was given, in words, for the report
    kind: str = "trailer"  # "trailer" or "pr-review": how, for the audit trail
    commit: str | None = None  # the commit carrying the trailer, or the reviewed head; None: not made yet


@dataclass
class Evidence:
    """The approvals that apply to one protected file, and who cannot approve it (email -> why)."""

    approvals: list[Approval] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    message_seen: bool = True  # False at the pre-commit stage: there is no commit message yet
    notes: list[str] = field(default_factory=list)


def trailer_email(value: str) -> str | None:
    value = value.strip()
    angle = _ANGLE.search(value)
    if angle:
        return angle.group(1).lower()
    return value.lower() if _BARE.match(value) else None


def _ident_email(ident: str) -> str | None:
    angle = _ANGLE.search(ident)
    return angle.group(1).lower() if angle else None


def _add_trailers(evidence: Evidence, values: list[str], via: str, commit: str | None) -> None:
    for value in values:
        email = trailer_email(value)
        if email is None:
            evidence.notes.append(f"{TRAILER}: {value.strip()!r} ignored ({via}): not an email address")
        else:
            evidence.approvals.append(Approval(email, via, "trailer", commit))


def staged_evidence(change: ChangeView, message: str | None) -> Evidence:
    """Approvals in the message of the commit being made (`message`: None before the commit-msg stage)."""
    evidence = Evidence()
    for role, var in (("author", "GIT_AUTHOR_IDENT"), ("committer", "GIT_COMMITTER_IDENT")):
        email = _ident_email(git.try_text(change.repo, "var", var))
        if email:
            evidence.excluded.setdefault(email, f"the {role} of this commit")
    if message is None:
        evidence.message_seen = False
        return evidence
    parsed = git.run(change.repo, "interpret-trailers", "--parse", stdin=message.encode()).decode("utf-8", "replace")
    values = [line.split(":", 1)[1] for line in parsed.splitlines() if line.lower().startswith(TRAILER.lower() + ":")]
    _add_trailers(evidence, values, "trailer in the commit message", None)
    return evidence


@dataclass(frozen=True)
class _Commit:
    sha: str
    author: str
    committer: str
    trailers: tuple[str, ...]


class CommitRange:
    """The non-merge commits of merge_base..HEAD, read once, asked about file by file."""

    def __init__(self, change: ChangeView) -> None:
        self.change = change
        fmt = _FIELD.join(("%H", "%ae", "%ce", f"%(trailers:key={TRAILER},valueonly,separator=%x1d)")) + _RECORD
        out = git.text(change.repo, "log", "--no-merges", "--topo-order", f"--format={fmt}", self._range)
        self.commits: dict[str, _Commit] = {}
        for record in out.split(_RECORD):
            parts = record.strip("\n").split(_FIELD)
            if len(parts) == 4:
                sha, author, committer, trailers = parts
                values = tuple(v for v in trailers.split(_VALUE) if v.strip())
                self.commits[sha] = _Commit(sha, author.lower(), committer.lower(), values)

    def _descendants(self, sha: str) -> set[str]:
        """`sha` and the commits of the range that have it as an ancestor."""
        return {sha, *git.text(self.change.repo, "rev-list", "--ancestry-path", f"{sha}..HEAD").split()}

    @property
    def _range(self) -> str:
        return f"{self.change.base_rev}..HEAD"

    def evidence_for(self, paths: tuple[str, ...]) -> Evidence:
        evidence = Evidence()
        # topo order: the first is a change no other change descends from; full history: none pruned
        args = ["log", "--no-merges", "--full-history", "--topo-order", "--format=%H", self._range, "--", *paths]
        out = git.text(self.change.repo, *args)
        touching = [sha for sha in out.split() if sha in self.commits]
        if not touching:
            evidence.notes.append(f"{', '.join(paths)}: changed in the work tree only, no commit can approve it")
            return evidence
        for sha in touching:
            c = self.commits[sha]
            evidence.excluded.setdefault(c.author, f"the author of {sha[:7]}")
            evidence.excluded.setdefault(c.committer, f"the committer of {sha[:7]}")
        covering = self._descendants(touching[0])
        # a descendant of the newest change descends from its ancestors too: only other tips cost a call
        older = set(git.text(self.change.repo, "rev-list", touching[0], f"^{self.change.base_rev}").split())
        for sha in touching[1:]:
            if sha not in older:
                covering &= self._descendants(sha)
        for sha, c in self.commits.items():
            if sha in covering:
                _add_trailers(evidence, list(c.trailers), f"trailer of commit {sha[:7]}", sha)
            elif c.trailers:
                evidence.notes.append(
                    f"{TRAILER} in {sha[:7]} does not cover {', '.join(paths)}: not given after every change to it"
                )
        return evidence
