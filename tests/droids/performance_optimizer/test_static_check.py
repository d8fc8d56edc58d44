"""The static check inside the droid, on real git repositories: what it reads, skips and reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core import git as core_git
from droids.core.models import DroidReport, TargetKind, Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from droids.core.targets import staged_targets
from droids.performance_optimizer.droid import PerformanceOptimizerDroid
from tests.conftest import REPO_ROOT, git

SLEEPY = "import time\n\n\nclass Strategy:\n    def on_tick(self, tick):\n        time.sleep(0.01)\n"
CLEAN = "class Strategy:\n    def on_tick(self, tick):\n        return tick\n"
STATIC_RULES = [f"PERF00{i}" for i in range(1, 10)]


def _run(repo: Path, kind: TargetKind, *, profile: str = "pre-commit", policies: Path | None = None) -> DroidReport:
    paths = {
        "staged": lambda: list(staged_targets(repo).paths),
        "tree": lambda: core_git.tracked_paths(repo),
    }[kind]()
    task = Task(
        mode="gate" if profile in ("pre-commit", "ci") else "audit",
        profile=profile,  # type: ignore[arg-type]
        repo=repo,
        policies=policies or repo / "policies",
        targets=Targets(kind=kind, paths=tuple(paths)),
    )
    droid = Registry([PerformanceOptimizerDroid]).get("performance-optimizer")
    assert droid is not None
    return droid.run(task, DroidContext(repo / ".droid"))


def _write(repo: Path, name: str, text: str, *, stage: bool = True) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if stage:
        git(repo, "add", name)


def test_the_bundled_trading_core_comes_out_clean() -> None:
    report = _run(REPO_ROOT, "tree", profile="pre-commit")

    assert [f"{f.rule} {f.path}:{f.line}" for f in report.findings] == []
    assert report.rules_checked == STATIC_RULES  # pre-commit: static rules only
    assert report.metrics["static_hot_functions"] >= 10  # Engine.on_tick and what it calls, Sentinel, SimVenue, bars


@pytest.mark.parametrize(
    ("index_text", "work_text", "expected"),
    [(SLEEPY, CLEAN, [("PERF001", "strategy.py", 6)]), (CLEAN, SLEEPY, [])],
    ids=["bad-in-index", "bad-only-in-work-tree"],
)
def test_a_pre_commit_gate_judges_the_index_not_the_work_tree(
    git_repo: Path, index_text: str, work_text: str, expected: list[tuple[str, str, int]]
) -> None:
    _write(git_repo, "strategy.py", index_text)
    _write(git_repo, "strategy.py", work_text, stage=False)

    report = _run(git_repo, "staged")

    assert [(f.rule, f.path, f.line) for f in report.findings] == expected


def test_a_finding_says_where_why_and_how_to_fix(git_repo: Path) -> None:
    _write(git_repo, "strategy.py", SLEEPY)

    (finding,) = _run(git_repo, "staged").findings

    assert finding.severity.value == "high"
    assert finding.message == "time.sleep() sleeps in Strategy.on_tick (named on_tick), on every tick"
    assert finding.evidence == "time.sleep(0.01)"
    assert "queue" in finding.fix
    assert finding.function == "Strategy.on_tick"  # type: ignore[attr-defined]


def test_the_fingerprint_survives_moved_lines(git_repo: Path) -> None:
    _write(git_repo, "strategy.py", SLEEPY)
    before = _run(git_repo, "staged").findings[0]
    _write(git_repo, "strategy.py", "# a comment\n\n" + SLEEPY)
    after = _run(git_repo, "staged").findings[0]

    assert after.line == before.line + 2
    assert after.fingerprint == before.fingerprint


def test_tests_are_excluded_by_default_and_perf_yaml_can_include_them(git_repo: Path) -> None:
    _write(git_repo, "tests/fake_strategy.py", SLEEPY)
    assert _run(git_repo, "staged").findings == []

    _write(git_repo, "policies/perf.yaml", "version: 1\nstatic: {exclude: []}\n")
    assert [f.path for f in _run(git_repo, "staged").findings] == ["tests/fake_strategy.py"]


def test_a_file_that_does_not_parse_is_named_in_a_note(git_repo: Path) -> None:
    _write(git_repo, "broken.py", "def on_tick(t):\n    return (\n")

    report = _run(git_repo, "staged")

    assert report.findings == []
    assert any("broken.py" in note and "not parsed" in note for note in report.notes)


def test_non_python_changes_do_not_run_the_static_check(git_repo: Path) -> None:
    _write(git_repo, "notes.md", "on_tick time.sleep\n")

    report = _run(git_repo, "staged")

    assert report.rules_checked == []


def test_a_malformed_perf_yaml_is_bad_input(git_repo: Path) -> None:
    from droids.core.errors import DroidError

    _write(git_repo, "strategy.py", CLEAN)
    _write(git_repo, "policies/perf.yaml", "version: 1\nstatic: {hot_name: [on_tick]}\n")

    with pytest.raises(DroidError, match=r"perf\.yaml:2: static\.hot_name: Extra inputs are not permitted"):
        _run(git_repo, "staged")
