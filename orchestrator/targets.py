"""Turn command-line input into a `Task`: which files a run covers and under which profile."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from droids.core import git
from droids.core.ci_context import event_path, load_event, read_commit_message
from droids.core.models import Profile, RunMode, Targets, Task
from droids.core.targets import base_targets, path_targets, staged_targets
from orchestrator.errors import OrchestratorError

# Folders that are never part of the governed code when walking a directory that is not a git repo.
_SKIP_DIRS = {".git", ".droid", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".ruff_cache"}


def find_repo(start: Path) -> Path:
    """The git top-level of `start`, else `start` itself (a folder that is not in git).

    A bare repository has no work tree to check, and a git folder with no git to read it cannot be
    judged: both are one line (exit 2), never a scan of `.git/objects` as if it were the tree."""
    if not start.is_dir():
        raise OrchestratorError(f"--repo {start}: not a directory")
    top = git.toplevel(start)
    if top is not None:
        return top.resolve()
    if shutil.which("git") is None and any((p / ".git").exists() for p in (start, *start.parents)):
        raise OrchestratorError(f"{start}: a git repository, but git is not on PATH; install git")
    if git.try_text(start, "rev-parse", "--is-bare-repository").strip() == "true":
        raise OrchestratorError(f"{start}: a bare repository has no work tree to check; run droid in a clone")
    return start.resolve()


def _walk(root: Path, repo: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        found += [Path(dirpath, f).relative_to(repo).as_posix() for f in sorted(filenames)]
    return found


def whole_tree(repo: Path) -> list[str]:
    if git.toplevel(repo) is not None:
        return git.tracked_paths(repo)
    return _walk(repo, repo)


def explicit_paths(repo: Path, raw: Sequence[str], cwd: Path) -> list[str]:
    """Resolve user paths: each must exist and lie inside the repo; directories expand to files."""
    tracked = set(whole_tree(repo)) if git.toplevel(repo) is not None else None
    out: list[str] = []
    for item in raw:
        try:
            path = (cwd / item).resolve()
        except (RuntimeError, OSError):  # a symbolic link loop
            raise OrchestratorError(f"{item}: a symbolic link loop, not a file") from None
        try:
            rel = path.relative_to(repo)
        except ValueError:
            raise OrchestratorError(f"{item}: path outside the repository {repo}") from None
        if not path.exists():
            raise OrchestratorError(f"{item}: no such file or directory")
        if path.is_dir():
            prefix = "" if rel == Path() else rel.as_posix() + "/"
            files = sorted(p for p in tracked if p.startswith(prefix)) if tracked is not None else _walk(path, repo)
            out += files
        elif not os.access(path, os.R_OK):
            raise OrchestratorError(f"{item}: not readable")
        else:
            out.append(rel.as_posix())
    return list(dict.fromkeys(out))


def gate_task(
    repo: Path,
    policies: Path,
    *,
    staged: bool,
    base: str | None,
    paths: Sequence[str],
    mode: str | None,
    cwd: Path,
    commit_msg: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Task:
    """The task of `droid gate`: what changed (asked of git once), the profile, the commit message of
    the commit-msg stage and, in CI, the event payload (for review approvals)."""
    chosen = sum([staged, base is not None, bool(paths)])
    if chosen != 1:
        raise OrchestratorError("gate: give exactly one of --staged, --base REV or PATH ...")
    profile: Profile
    if mode is None:
        profile = "ci" if base is not None else "pre-commit"
    elif mode in ("pre-commit", "ci"):
        profile = mode  # type: ignore[assignment]
    else:
        raise OrchestratorError(f"--mode {mode}: expected 'pre-commit' or 'ci'")
    message = read_commit_message(commit_msg) if commit_msg is not None else None
    if staged:
        targets = staged_targets(repo)
    elif base is not None:
        targets = base_targets(repo, base)
    else:
        targets = path_targets(explicit_paths(repo, paths, cwd))
    event_file = event_path(os.environ if env is None else env) if base is not None else None
    event = load_event(event_file) if event_file is not None else None
    return Task(
        mode="gate",
        profile=profile,
        repo=repo,
        policies=policies,
        targets=targets,
        commit_message=message,
        event=event,
        event_source=str(event_file) if event_file is not None else None,
    )


def simple_task(
    mode: RunMode, repo: Path, policies: Path, *, request: str = "", paths: Sequence[str] = (), cwd: Path
) -> Task:
    """A task over given paths, or the whole tree when none are given (audit, ask, run)."""
    if paths:
        targets = path_targets(explicit_paths(repo, paths, cwd))
    else:
        targets = Targets(kind="tree", paths=tuple(whole_tree(repo)))
    return Task(mode=mode, profile=mode, request=request, repo=repo, policies=policies, targets=targets)
