"""What the devops droid's checks share: the policy, path and key matching, one YAML parse per file
and run, and the one way a rule becomes a finding.

YAML is read through the project's one parser with line numbers (`trading_core.policy.yamldoc`), once
per file and run (the run's workspace keeps it), so six workflow rules cost one parse. A file that is
not YAML is bad input: one line naming file and line (exit 2).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.devops.policy import DevopsPolicy, load_devops_policy
from trading_core.policy.yamldoc import KeyPath, NotYaml, YamlDoc, line_of, parse

DROID = "devops"


def policy(task: Task) -> DevopsPolicy:
    """devops.yaml of the task's policies folder (read once per file version)."""
    path = task.policies / "devops.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _policy(task.policies, stamp)


@lru_cache(maxsize=8)
def _policy(policies: Path, _stamp: int) -> DevopsPolicy:
    return load_devops_policy(policies)


@lru_cache(maxsize=32)
def _spec(patterns: tuple[str, ...]) -> Any:
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", patterns)


def matching(paths: Iterable[str], globs: tuple[str, ...]) -> list[str]:
    """The paths that match one of the gitignore-style `globs`, in their order."""
    spec = _spec(globs)
    return [p for p in paths if spec.match_file(p)]


def key_matches(pattern: str, key: str) -> bool:
    """Does a dotted key ("broker.password") match a dotted pattern ("*password*", "apex.**")?

    Case-insensitive; `*` stays within one key, `**` spans any number of keys. A pattern without a
    dot is also tried against the last key alone, so "*password*" matches "broker.password"."""
    parts, want = key.lower().split("."), pattern.lower().split(".")
    return _match(want, parts) or ("." not in pattern and fnmatch.fnmatchcase(parts[-1], want[0]))


def _match(want: list[str], parts: list[str]) -> bool:
    if not want:
        return not parts
    if want[0] == "**":
        return any(_match(want[1:], parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], want[0]) and _match(want[1:], parts[1:])


def any_key_matches(patterns: Iterable[str], key: str) -> bool:
    return any(key_matches(p, key) for p in patterns)


def yaml_doc(task: Task, ctx: DroidContext, path: str) -> YamlDoc | None:
    """`path` parsed once per run (None when it is absent); not YAML: bad input naming the line."""
    workspace = ctx.workspace(task)

    def compute() -> YamlDoc | None:
        content = workspace.content(path)
        if content is None:
            return None
        try:
            return parse(content.decode("utf-8"))
        except UnicodeDecodeError:
            raise DroidError(f"{path}: not UTF-8 text; expected a YAML file") from None
        except NotYaml as exc:
            where = f":{exc.line}" if exc.line is not None else ""
            raise DroidError(f"{path}{where}: malformed YAML: {exc.problem}") from None

    return workspace.shared(f"devops.yaml:{path}", compute)


def line(doc: YamlDoc, path: KeyPath) -> int | None:
    return line_of(doc.node, tuple(str(p) for p in path))


def mask(value: object) -> str:
    """How a secret may appear: at most its first 4 characters, then ****."""
    text = str(value)
    return (text[:4] if len(text) > 8 else "") + "****"


def finding(
    rule: RuleSpec,
    path: str | None,
    line_no: int | None,
    message: str,
    *,
    identity: str,
    severity: Severity | None = None,
    evidence: str | None = None,
    fix: str | None = None,
    title: str | None = None,
    **extra: Any,
) -> Finding:
    """A finding of `rule`; `identity` is what the fingerprint hashes besides rule and path (never a
    secret value, never the line number: a finding keeps its identity when other lines move)."""
    return Finding(
        rule=rule.id,
        droid=DROID,
        severity=severity or rule.severity,
        title=title or rule.title,
        message=message,
        path=path,
        line=line_no,
        evidence=evidence,
        fingerprint=fingerprint(rule.id, path, identity),
        fix=fix or rule.fix,
        **extra,
    )


def dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)
