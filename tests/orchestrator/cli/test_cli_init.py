"""`droid init` and a repository that looks like a trading team's: no policies/, no trading_core/.

Every command works there with the built-in defaults, and says nothing about what the repository
does not have beyond the one "not applicable" line. The pre-commit hooks `droid init` writes run
under the real `pre-commit` tool.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.orchestrator.cli.helpers import aws_key, droid

ABSENT = ("trading_core", "bench_ontick", "policies/apex.yaml", "tests/benchmarks", "scalper")


def team_repo(root: Path) -> Path:
    """A team's repository: some Python, a docs folder, a few commits, no droid configuration."""
    repo = root / "team"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@desk.example")
    git(repo, "config", "user.name", "Dev")
    (repo / "src" / "desk").mkdir(parents=True)
    (repo / "src" / "desk" / "__init__.py").write_text("")
    (repo / "src" / "desk" / "orders.py").write_text("import os\n\nBROKER_KEY = os.environ['BROKER_KEY']\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Desk\n\nHow we trade.\n")
    for message in ("first", "second"):
        (repo / "src" / "desk" / "strategy.py").write_text(f"# {message}\nEDGE = 1\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)
    return repo


def _said(result_json: dict) -> str:
    """Everything a report says besides findings: its notes and every droid's notes."""
    return json.dumps([result_json.get("notes", []), [d["notes"] for d in result_json["droids"]]])


@pytest.mark.parametrize(
    ("flags", "written"),
    [
        ((), {"policies/gates.yaml", "policies/access.yaml", ".gitignore", ".pre-commit-config.yaml",
              ".github/workflows/droid.yml"}),
        (("--no-gitignore", "--no-pre-commit", "--no-workflow"), {"policies/gates.yaml", "policies/access.yaml"}),
    ],
)  # fmt: skip
def test_init_writes_each_file_once_and_never_overwrites(tmp_path: Path, flags: tuple[str, ...], written: set[str]):
    repo = team_repo(tmp_path)
    first = droid("init", *flags, cwd=repo, repo_policies=True)
    assert first.code == 0, first.err
    lines = [line for line in first.out.splitlines() if line.startswith(("wrote", "added"))]
    made = {".gitignore" if line.endswith("to .gitignore") else line.split()[1] for line in lines}
    assert made == written
    (repo / "policies" / "gates.yaml").write_text((repo / "policies" / "gates.yaml").read_text() + "# ours\n")
    again = droid("init", *flags, cwd=repo, repo_policies=True)
    assert again.code == 0 and not any(line.startswith(("wrote", "added")) for line in again.out.splitlines())
    assert (repo / "policies" / "gates.yaml").read_text().endswith("# ours\n")
    assert droid("init", "--force", *flags, cwd=repo, repo_policies=True).code == 0
    assert not (repo / "policies" / "gates.yaml").read_text().endswith("# ours\n")
    ignored = (repo / ".gitignore").read_text() if (repo / ".gitignore").exists() else ""
    assert ignored.count(".droid/") == (0 if "--no-gitignore" in flags else 1)
    assert droid("policy", "check", cwd=repo, repo_policies=True).code == 0


def test_init_appends_to_an_existing_pre_commit_config_and_leaves_other_shapes_alone(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    config = repo / ".pre-commit-config.yaml"
    theirs = (
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.0\n    hooks: [{id: ruff}]\n"
    )
    config.write_text(theirs)
    assert droid("init", "--no-workflow", cwd=repo, repo_policies=True).code == 0
    text = config.read_text()
    assert text.startswith(theirs) and "id: droid-gate" in text
    config.write_text("repos: []\ndefault_stages: [pre-commit]\n")
    result = droid("init", "--no-workflow", cwd=repo, repo_policies=True)
    assert "skipped  .pre-commit-config.yaml: add this under `repos:` yourself" in result.out
    assert config.read_text() == "repos: []\ndefault_stages: [pre-commit]\n"


@pytest.mark.slow
def test_every_command_works_in_a_team_repository_with_the_defaults(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    assert droid("init", cwd=repo, repo_policies=True).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "droid init")
    audit = droid("audit", "--format", "json", cwd=repo, repo_policies=True)
    assert audit.code == 0, audit.err
    report = audit.json()
    assert report["notes"] == [
        "not applicable: no trading core configured ([tool.droid] trading-core): "
        "CMP003, PERF010-PERF015, PERF020-PERF022, DATA025"
    ]
    assert not any(word in _said(report) for word in ABSENT), _said(report)

    git(repo, "switch", "-q", "-c", "feature")
    (repo / "src" / "desk" / "fees.py").write_text("def fee(qty):\n    return 2.5 * abs(qty)\n")
    git(repo, "add", "-A")
    staged = droid("gate", "--staged", "--format", "json", cwd=repo, repo_policies=True)
    assert staged.code == 0, staged.err
    assert not any(word in _said(staged.json()) for word in ABSENT)
    git(repo, "commit", "-q", "-m", "fees")
    base = droid("gate", "--base", "main", "--format", "json", cwd=repo, repo_policies=True)
    assert base.code == 0, base.err
    assert not any(word in _said(base.json()) for word in ABSENT)
    ask = droid("ask", "any leaked secrets?", "--format", "json", cwd=repo, repo_policies=True)
    assert ask.code == 0 and [r["droid"] for r in ask.json()["routing"]] == ["security-compliance"]
    history = droid("security", "history", "--format", "json", cwd=repo, repo_policies=True)
    assert history.code == 0 and history.json()["findings"] == []
    where = droid("policy", "where", cwd=repo, repo_policies=True)
    assert "gates.yaml           " + str(repo / "policies" / "gates.yaml") in where.out
    assert "apex.yaml            built-in (" in where.out


@pytest.mark.slow
def test_the_pre_commit_hooks_droid_init_writes_run_under_real_pre_commit(tmp_path: Path) -> None:
    """`pre-commit install`, then real commits: a staged generated key is blocked, a clean one passes.
    The hooks call `droid` from PATH (the environment droid is installed in), as README says."""
    if shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pre-commit is not installed in this environment (a dev extra)")
    repo = team_repo(tmp_path)
    assert droid("init", "--no-workflow", cwd=repo, repo_policies=True).code == 0
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}  # fmt: skip
    env.pop("DROID_POLICIES", None)
    install = ["pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "commit-msg"]
    subprocess.run(install, cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", "-A")
    commit = ["git", "commit", "-q", "-m"]
    clean = subprocess.run([*commit, "droid init"], cwd=repo, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    key = aws_key()
    (repo / "src" / "desk" / "creds.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
    git(repo, "add", "-A")
    leaked = subprocess.run([*commit, "oops"], cwd=repo, env=env, capture_output=True, text=True)
    assert leaked.returncode != 0
    assert "SEC001" in leaked.stdout + leaked.stderr and key not in leaked.stdout + leaked.stderr
    assert git(repo, "log", "--format=%s").splitlines() == ["droid init", "second", "first"]
