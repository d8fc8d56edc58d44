"""Which parts of a change are protected by policies/access.yaml, and which access rules are in force.

The rules in force are those of access.yaml before the change and after it, together: a change
cannot lift its own protection (the base version still applies) and new protection applies at once.
For a rule with `keys`, only protected keys whose values differ between the two versions of the
file count: a comment or an unprotected key in the same file needs no approval. A protected file
that does not parse as YAML on either side counts as changing every protected key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from droids.core.change import ChangeView, repo_relative
from droids.core.errors import DroidError
from droids.core.models import FileChange, Task
from droids.security_compliance.access.patterns import KeyPath, key_matches
from droids.security_compliance.access.policy import (
    ACCESS_FILE,
    AccessPolicy,
    Rule,
    load_access_file,
    load_access_policy,
)
from trading_core.policy import yamldoc as yamltree


@dataclass(frozen=True)
class ProtectedChange:
    rule: Rule
    file: FileChange
    keys: tuple[KeyPath, ...] | None  # the protected keys that changed; None: the file as a whole
    line: int | None
    unparsed: str = ""  # "before", "after" or "both": a side that is not YAML, all protected keys count
    values: tuple[tuple[Any, Any], ...] = ()  # (old, new) of each of `keys` (yamltree.ABSENT: missing)


def rules_in_force(task: Task, change: ChangeView) -> tuple[AccessPolicy | None, list[str]]:
    """The union of access.yaml's rules before and after the change; None when neither exists."""
    path = task.policies / ACCESS_FILE
    rel = repo_relative(task, path)
    notes: list[str] = []
    if rel is None:  # policies outside the repository: one version, from disk
        return (load_access_file(task.policies) if path.is_file() else None), notes
    head = change.read_head(rel)
    policies = []
    if head is not None:
        policies.append(load_access_policy(head.decode("utf-8", "replace"), rel))
    base = change.read_base(rel) if change.is_change else None
    if base is not None and base != head:
        try:
            policies.append(load_access_policy(base.decode("utf-8", "replace"), f"{rel} (before this change)"))
        except DroidError as exc:  # a broken old version must not hide the new one's rules
            notes.append(f"{rel} before this change is not valid ({exc}); only the changed version applies")
    if not policies:
        return None, notes
    rules: dict[tuple[Any, ...], Rule] = {}
    for policy in policies:
        for rule in policy.rules:
            rules.setdefault((rule.path, rule.keys, rule.owner_emails), rule)
    logins = {k: v for policy in reversed(policies) for k, v in policy.github_logins.items()}
    return AccessPolicy(tuple(rules.values()), logins), notes


class _Trees:
    """Parsed YAML of each changed file, before and after, parsed once however many rules ask."""

    def __init__(self, change: ChangeView) -> None:
        self.change = change
        self._cache: dict[str, tuple[dict[KeyPath, tuple[Any, Any]], Any, str]] = {}

    def changed(self, file: FileChange) -> tuple[dict[KeyPath, tuple[Any, Any]], Any, str]:
        """(changed leaf paths -> (old, new), the new document's node tree, the side(s) not YAML or "")."""
        if file.path not in self._cache:
            old, old_ok = _parsed(self.change.read_base(file.old_path))
            new, new_ok = _parsed(self.change.read_head(file.path))
            broken = {(True, True): "", (False, True): "before", (True, False): "after"}.get((old_ok, new_ok), "both")
            if broken:
                self._cache[file.path] = ({}, None, broken)
            else:
                leaves = yamltree.changed_values(old.data if old else None, new.data if new else None)
                self._cache[file.path] = (leaves, new.node if new else None, "")
        return self._cache[file.path]


def _parsed(content: bytes | None) -> tuple[yamltree.YamlDoc | None, bool]:
    """(the document or None when the file is absent, whether it parsed)."""
    if content is None:
        return None, True
    try:
        return yamltree.parse(content.decode("utf-8", "replace")), True
    except yamltree.NotYaml:
        return None, False


def protected_changes(change: ChangeView, policy: AccessPolicy) -> list[ProtectedChange]:
    trees = _Trees(change)
    out = []
    for file in change.files:
        for rule in policy.rules:
            if not any(rule.covers(p) for p in file.paths):
                continue
            if rule.keys is None or file.status in "DR" or file.old_path != file.path:
                out.append(ProtectedChange(rule, file, None, None))
                continue
            leaves, node, unparsed = trees.changed(file)
            if unparsed:
                out.append(ProtectedChange(rule, file, rule.keys, None, unparsed=unparsed))
                continue
            hit = tuple(leaf for leaf in leaves if any(key_matches(k, leaf) for k in rule.keys))
            if hit:
                values = tuple(leaves[leaf] for leaf in hit)
                out.append(ProtectedChange(rule, file, hit, yamltree.line_of(node, hit[0]), values=values))
    return out
