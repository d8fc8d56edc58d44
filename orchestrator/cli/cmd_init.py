"""`droid init`: put droid into a repository in one command.

Writes, each only when it is not there yet (idempotent; `--force` rewrites droid's own files):
- the commented starter policies every droid declares (`policies/gates.yaml`, `policies/access.yaml`);
  every other policy file stays inherited from the built-ins (`droid policy where` lists them);
- `.droid/` in `.gitignore` (droid's local state: caches, reports, the local audit trail) and the
  `.env` patterns SEC003 asks for;
- the pre-commit hooks (`droid gate --staged` at pre-commit, `--commit-msg` at commit-msg) in
  `.pre-commit-config.yaml`: appended to an existing file's `repos:` list, never rewriting it;
- `.github/workflows/droid.yml`, the gate in CI with SARIF upload.
Each of the last three can be skipped (`--no-gitignore`, `--no-pre-commit`, `--no-workflow`).
The pre-commit entry and the workflow install droid the way it was installed here when that is a
public source (a git URL at a commit); otherwise they use the droid found on PATH / a placeholder to
edit, and say so.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Annotated

import typer

from orchestrator.cli.session import Session
from orchestrator.errors import OrchestratorError

WORKFLOW = Path(".github/workflows/droid.yml")
PRE_COMMIT = Path(".pre-commit-config.yaml")
_LOCAL_HOOKS = """  - repo: local     # droid from the environment (pip install droid-governance)
    hooks:
      - id: droid-gate
        name: droid gate
        entry: droid gate --staged
        language: system
        pass_filenames: false
        require_serial: true
        stages: [pre-commit]
      - id: droid-approval
        name: droid gate at commit-msg (owner approvals)
        entry: droid gate --staged --commit-msg
        language: system
        pass_filenames: true
        require_serial: true
        stages: [commit-msg]
"""
_REMOTE_HOOKS = """  - repo: {url}
    rev: {rev}
    hooks:
      - id: droid-gate
      - id: droid-approval
"""


def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Rewrite droid's own files that exist.")] = False,
    gitignore: Annotated[bool, typer.Option(help="Add .droid/ to .gitignore.")] = True,
    pre_commit: Annotated[bool, typer.Option(help="Add the hooks to .pre-commit-config.yaml.")] = True,
    workflow: Annotated[bool, typer.Option(help="Write .github/workflows/droid.yml.")] = True,
) -> None:
    """Write a starter configuration, the .gitignore entry, pre-commit hooks and a CI workflow."""
    from droids.core.manifest import load
    from droids.core.policy_files import all_policy_files

    session: Session = ctx.obj
    repo, done = session.repo, []
    folder = session.policies if session.policies_how != "built-in defaults" else repo / "policies"
    for pf in all_policy_files(session.registry.policy_files()):
        if pf.starter is not None:
            done.append(_write(folder / pf.name, load(pf.starter).read_text(encoding="utf-8"), force, repo))
    if gitignore:
        done.append(_gitignore(repo))
    source = _install_source()
    if pre_commit:
        done.append(_pre_commit(repo, source))
    if workflow:
        spec = source[2] if source else "droid-governance  # edit: how your team installs droid"
        text = (Path(__file__).parents[1] / "templates" / "droid-workflow.yml").read_text(encoding="utf-8")
        done.append(_write(repo / WORKFLOW, text.replace("{install}", spec), force, repo))
    done.append("next: `pre-commit install --hook-type pre-commit --hook-type commit-msg`, then `droid gate --staged`")
    session.emit("\n".join(done))


def _rel(path: Path, repo: Path) -> str:
    return path.relative_to(repo).as_posix() if path.is_relative_to(repo) else str(path)


def _write(path: Path, text: str, force: bool, repo: Path) -> str:
    if path.exists() and not force:
        return f"kept     {_rel(path, repo)} (exists; --force rewrites it)"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OrchestratorError(f"{path}: cannot write ({exc.strerror})") from None
    return f"{'rewrote ' if existed else 'wrote   '} {_rel(path, repo)}"


IGNORED = (
    ("# droid's local state: caches, reports, the local audit trail", ".droid/"),
    (
        "# credentials live in git-ignored .env files (SEC003); examples are committed",
        ".env",
        ".env.*",
        "!.env.example",
    ),
)


def _gitignore(repo: Path) -> str:
    """Add `.droid/` and the .env patterns SEC003 asks for, each only when missing."""
    path = repo / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    present = {line.strip().lstrip("/").rstrip("/") for line in text.splitlines()}
    added = []
    for comment, *patterns in IGNORED:
        missing = [p for p in patterns if p.rstrip("/") not in present]
        if missing:
            added += [comment, *missing]
    if not added:
        return "kept     .gitignore (already ignores .droid/ and .env files)"
    sep = "" if not text or text.endswith("\n") else "\n"
    path.write_text(f"{text}{sep}" + "\n".join(added) + "\n", encoding="utf-8")
    return "added    " + ", ".join(p for p in added if not p.startswith("#")) + " to .gitignore"


def _pre_commit(repo: Path, source: tuple[str, str, str] | None) -> str:
    path = repo / PRE_COMMIT
    hooks = _REMOTE_HOOKS.format(url=source[0], rev=source[1]) if source else _LOCAL_HOOKS
    if not path.is_file():
        path.write_text(f"repos:\n{hooks}", encoding="utf-8")
        return f"wrote    {PRE_COMMIT}"
    text = path.read_text(encoding="utf-8")
    if "droid-gate" in text:
        return f"kept     {PRE_COMMIT} (already runs droid-gate)"
    top_keys = re.findall(r"^([A-Za-z_][\w-]*):", text, re.MULTILINE)
    if not top_keys or top_keys[-1] != "repos":  # the hooks can only be appended safely to a last `repos:` list
        return f"skipped  {PRE_COMMIT}: add this under `repos:` yourself:\n{hooks}"
    sep = "" if text.endswith("\n") else "\n"
    path.write_text(f"{text}{sep}{hooks}", encoding="utf-8")
    return f"added    the droid hooks to {PRE_COMMIT}"


def _install_source() -> tuple[str, str, str] | None:
    """(git URL, commit, pip spec) droid was installed from, when that is a public git source."""
    try:
        raw = metadata.distribution("droid-governance").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    info = json.loads(raw) if raw else {}
    vcs = info.get("vcs_info") or {}
    url = info.get("url", "")
    if vcs.get("vcs") != "git" or not url.startswith(("https://", "ssh://", "git@")):
        return None
    return url, vcs.get("commit_id", "HEAD"), f"droid-governance @ git+{url}@{vcs.get('commit_id', 'HEAD')}"


def register(app: typer.Typer) -> None:
    app.command("init")(init)
