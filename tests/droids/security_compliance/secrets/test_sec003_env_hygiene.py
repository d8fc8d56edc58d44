"""SEC003 on real git repositories: env files that git would keep, and the ignore rules that prevent it."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core import git as core_git
from droids.core.models import Finding, Severity, TargetKind, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.targets import staged_targets
from droids.security_compliance.secrets import sec003_env_hygiene
from droids.security_compliance.secrets.env_files import is_env_file, is_example
from tests import secret_values as sv
from tests.conftest import git

IGNORE_ENV = ".env\n.env.*\n!.env.example\n"


def _run(repo: Path, kind: TargetKind, paths: list[str] | None = None) -> list[Finding]:
    if paths is None:
        paths = list(staged_targets(repo).paths) if kind == "staged" else core_git.tracked_paths(repo)
    task = Task(
        mode="audit" if kind == "tree" else "gate",
        profile={"staged": "pre-commit", "base": "ci", "paths": "ci", "tree": "audit"}[kind],  # type: ignore[arg-type]
        repo=repo,
        policies=repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths)),
    )
    return sec003_env_hygiene.run(task, DroidContext(repo / ".droid")).findings


def _where(findings: list[Finding]) -> list[tuple[str | None, int | None, Severity]]:
    return [(f.path, f.line, f.severity) for f in findings]


def _write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize(
    ("name", "env", "example"),
    [
        (".env", True, False),
        (".env.local", True, False),
        ("config/.env.production", True, False),
        (".env-staging", True, False),
        (".env.example", True, True),
        ("deploy/.env.sample", True, True),
        (".env.template", True, True),
        (".envrc", False, False),
        ("env.py", False, False),
        ("settings.env.py", False, False),
        (".environment", False, False),
    ],
)
def test_which_files_are_env_files(name: str, env: bool, example: bool) -> None:
    assert (is_env_file(name), is_example(name)) == (env, example)


@pytest.mark.parametrize("name", [".env", ".env.production", "services/broker/.env.local"])
def test_a_staged_env_file_blocks_at_its_path(git_repo: Path, name: str) -> None:
    _write(git_repo, ".gitignore", IGNORE_ENV)
    _write(git_repo, name, f"BROKER_PASSWORD={sv.password()}\n")
    git(git_repo, "add", "-f", name)

    findings = _run(git_repo, "staged")

    assert _where(findings) == [(name, None, Severity.HIGH)]
    assert "staged for commit although an ignore rule matches it" in findings[0].message
    assert "git rm --cached" in findings[0].fix
    assert sv.password() not in findings[0].model_dump_json()


def test_a_staged_example_with_placeholders_passes(git_repo: Path) -> None:
    _write(git_repo, ".env.example", "TWELVE_DATA_API_KEY=\nBROKER_PASSWORD=<your-password>\nLOG_LEVEL=INFO\n")
    git(git_repo, "add", ".env.example")

    assert _run(git_repo, "staged") == []


def test_the_staged_example_is_judged_not_the_work_tree(git_repo: Path) -> None:
    _write(git_repo, ".env.example", "BROKER_PASSWORD=abc1\n")
    git(git_repo, "add", ".env.example")
    _write(git_repo, ".env.example", "BROKER_PASSWORD=\n")

    assert _where(_run(git_repo, "staged")) == [(".env.example", 1, Severity.MEDIUM)]


def test_an_audit_reports_tracked_and_exposed_env_files_but_not_ignored_ones(git_repo: Path) -> None:
    _write(git_repo, "app/.env", "API_KEY=\n")
    git(git_repo, "add", "app/.env")
    git(git_repo, "commit", "-q", "-m", "oops")
    _write(git_repo, ".gitignore", "/.env.local\n")
    git(git_repo, "add", ".gitignore")
    git(git_repo, "commit", "-q", "-m", "ignore")
    _write(git_repo, ".env.local", "API_KEY=\n")  # ignored: fine
    _write(git_repo, "svc/.env.production", "API_KEY=\n")  # untracked and not ignored
    _write(git_repo, ".env.example", "API_KEY=\n")  # untracked example: not a finding

    findings = _run(git_repo, "tree")

    assert _where(findings) == [
        ("app/.env", None, Severity.HIGH),
        ("svc/.env.production", None, Severity.MEDIUM),
        (".gitignore", None, Severity.LOW),
    ]
    assert findings[0].message.startswith("app/.env is tracked by git")
    assert "the repository's ignore rules do not ignore .env" in findings[2].message


def test_an_audit_with_good_ignore_rules_and_no_env_file_is_clean(git_repo: Path) -> None:
    _write(git_repo, ".gitignore", IGNORE_ENV)
    git(git_repo, "add", ".gitignore")
    git(git_repo, "commit", "-q", "-m", "ignore")
    _write(git_repo, ".env", f"API_KEY={sv.twelve_data_key()}\n")

    assert _run(git_repo, "tree") == []


@pytest.mark.parametrize(
    ("gitignore", "expected"),
    [("*.pyc\n", [(".gitignore", None, Severity.LOW)]), (IGNORE_ENV, []), ("**/.env*\n", [])],
    ids=["does-not-ignore", "ignores", "ignores-by-glob"],
)
def test_a_gate_that_changes_gitignore_checks_that_env_stays_ignored(
    git_repo: Path, gitignore: str, expected: list[tuple[str, None, Severity]]
) -> None:
    _write(git_repo, ".gitignore", gitignore)
    git(git_repo, "add", ".gitignore")

    assert _where(_run(git_repo, "staged")) == expected


def test_a_given_env_path_that_is_neither_tracked_nor_ignored_is_exposed(git_repo: Path) -> None:
    _write(git_repo, ".env", "API_KEY=\n")

    findings = _run(git_repo, "paths", [".env"])

    assert _where(findings) == [(".env", None, Severity.MEDIUM)]
    assert "git add -A" in findings[0].message


def test_outside_git_the_report_says_what_was_not_checked(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("API_KEY=\n")
    task = Task(
        mode="gate",
        profile="ci",
        repo=tmp_path,
        policies=tmp_path / "policies",
        targets=Targets(kind="paths", paths=(".env",)),
    )

    outcome = sec003_env_hygiene.run(task, DroidContext(tmp_path / ".droid"))

    assert outcome.findings == []
    assert outcome.notes == [
        f"SEC003: {tmp_path} is not a git repository; whether env files are ignored was not checked"
    ]


@pytest.mark.parametrize(
    ("paths", "kind", "applies"),
    [
        ([".env"], "staged", True),
        (["src/app.py"], "staged", True),
        ([".gitignore"], "base", True),
        (["README.md", "policies/apex.yaml"], "staged", False),
        ([], "tree", True),
    ],
)
def test_applies(tmp_path: Path, paths: list[str], kind: TargetKind, applies: bool) -> None:
    task = Task(
        mode="gate", profile="ci", repo=tmp_path, policies=tmp_path, targets=Targets(kind=kind, paths=tuple(paths))
    )
    assert sec003_env_hygiene.applies(task) is applies
