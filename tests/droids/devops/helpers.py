"""Run one devops rule (or the whole droid) on real files in a real git repository."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from droids.core.models import Finding, TargetKind, Targets, Task
from droids.core.protocol import DroidContext
from tests.conftest import git


def write(repo: Path, files: dict[str, str], *, add: bool = True) -> list[str]:
    for rel, text in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if add:
        git(repo, "add", "-A")
    return list(files)


def task(repo: Path, paths: list[str], *, kind: TargetKind = "paths", mode: str = "gate") -> Task:
    return Task(
        mode=mode,  # type: ignore[arg-type]
        profile="audit" if mode == "audit" else "ci",
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths)),
    )


def run_rule(repo: Path, rule: ModuleType, files: dict[str, str], *, mode: str = "gate") -> list[Finding]:
    """`rule`'s findings on `files` (written, staged, and the task's targets)."""
    paths = write(repo, files)
    t = task(repo, paths, mode=mode)
    if not rule.applies(t):
        return []
    return rule.run(t, DroidContext(state_dir=repo / ".droid")).findings
