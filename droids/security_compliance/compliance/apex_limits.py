"""apex.yaml against the published limits, for one task: what breaches, and what this change did.

Both files are read as the task sees them: the index for a staged gate, the work tree otherwise.
A breach is *introduced* by the change when a value at or below its key differs from the base
(apex.yaml before the change), so CMP001 reports what a change loosens and CMP002 what was already
there; each breach is reported once, by one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from droids.core.change import ChangeView, repo_relative
from droids.core.errors import DroidError
from droids.core.models import Finding, RuleSpec, Task, fingerprint
from droids.core.workspace import Workspace
from droids.security_compliance.access.patterns import KeyPath, dotted, key_matches
from droids.security_compliance.compliance.published import (
    DEFAULTS_DIR,
    PUBLISHED_FILE,
    Breach,
    PublishedFile,
    breaches,
)
from trading_core.apex.policy import APEX_FILE, ApexPolicyFile
from trading_core.errors import TradingCoreError
from trading_core.policy import yamldoc as yamltree
from trading_core.policy.loader import parse_policy_text


@dataclass
class LimitCheck:
    apex_path: str  # as shown in findings: repo-relative when inside the repo
    breaches: list[Breach] = field(default_factory=list)
    introduced: set[KeyPath] = field(default_factory=set)  # keys of breaches this change made
    lines: dict[KeyPath, int | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def line(self, breach: Breach) -> int | None:
        return self.lines.get(breach.key)

    def findings(self, rule: RuleSpec, *, introduced: bool, note: str = "") -> list[Finding]:
        """`rule`'s findings, one per breach this change introduced (`introduced=True`, CMP001) or per
        breach it did not (CMP002): the breach's sentence followed by `note`, the rule's fix."""
        return [
            Finding(
                rule=rule.id,
                droid=rule.droid,
                severity=rule.severity,
                title=rule.title,
                message=breach.message + note,
                path=self.apex_path,
                line=self.line(breach),
                fingerprint=fingerprint(rule.id, self.apex_path, f"{dotted(breach.key)}={breach.value}"),
                fix=rule.fix,
                key=dotted(breach.key),
                value=breach.value,
                limit=breach.limit,
            )
            for breach in self.breaches
            if (breach.key in self.introduced) == introduced
        ]


class _Source:
    """Reads a policy file as the task sees it, before and after the change."""

    def __init__(self, task: Task, change: ChangeView) -> None:
        self.task, self.change = task, change

    def display(self, name: str) -> str:
        return repo_relative(self.task, self.task.policies / name) or str(self.task.policies / name)

    def head(self, name: str) -> str | None:
        rel = repo_relative(self.task, self.task.policies / name)
        data = self.change.read_head(rel) if rel is not None else _read_disk(self.task.policies / name)
        return None if data is None else data.decode("utf-8", "replace")

    def base(self, name: str) -> str | None:
        rel = repo_relative(self.task, self.task.policies / name)
        if rel is None or not self.change.is_change:
            return self.head(name)
        data = self.change.read_base(rel)
        return None if data is None else data.decode("utf-8", "replace")


def _read_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DroidError(f"{path}: cannot read ({exc.strerror or exc})") from None


M = TypeVar("M", bound=BaseModel)


def _validate(text: str, model: type[M], display: str) -> M:
    try:
        return parse_policy_text(text, model, display=display)
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None


def check_limits(task: Task, workspace: Workspace) -> LimitCheck:
    """Compare the task's apex.yaml with the published limits once per run (CMP001 and CMP002 both
    ask); raise DroidError on an invalid file."""
    return workspace.shared("compliance.apex_limits", lambda: _check_limits(task, workspace.change))


def _check_limits(task: Task, change: ChangeView) -> LimitCheck:
    source = _Source(task, change)
    result = LimitCheck(apex_path=source.display(APEX_FILE))
    apex_text = source.head(APEX_FILE)
    if apex_text is None:  # the repository has no apex.yaml of its own: nothing of its to check
        return result
    published_text = source.head(PUBLISHED_FILE)
    if published_text is None and (DEFAULTS_DIR / PUBLISHED_FILE).is_file():
        published_text = (DEFAULTS_DIR / PUBLISHED_FILE).read_text(encoding="utf-8")  # the built-in published rules
    if published_text is None:
        key = ("(whole document)",)
        why = f"{source.display(PUBLISHED_FILE)} is missing: the Apex limits cannot be verified"
        result.breaches.append(Breach(key, "-", "-", why))
        return result
    apex = _validate(apex_text, ApexPolicyFile, result.apex_path)
    published = _validate(published_text, PublishedFile, source.display(PUBLISHED_FILE))
    result.breaches = breaches(apex, published)
    head_doc = yamltree.parse(apex_text)
    result.lines = {b.key: yamltree.line_of(head_doc.node, b.key) for b in result.breaches}
    base_text = source.base(APEX_FILE)
    try:
        base_data = None if base_text is None else yamltree.parse(base_text).data
    except yamltree.NotYaml:
        base_data = None  # the base did not parse: every value of the change is new
    changed = yamltree.changed_leaves(base_data, head_doc.data)
    result.introduced = {b.key for b in result.breaches if any(key_matches(b.key, leaf) for leaf in changed)}
    return result
