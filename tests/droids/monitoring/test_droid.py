"""The droid as a whole: registered, routed by its card, its check runs in ask/run/audit and never in a
gate, and `droid ask "how close are we to the drawdown limit?"` answers with the numbers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from droids.core.models import Targets, Task
from droids.core.protocol import DroidContext
from droids.core.registry import load_registry
from droids.monitoring import account_check
from orchestrator import routing
from tests.conftest import REPO_ROOT
from tests.droids.monitoring.support import HEADER, env_with, es_path, run


def _card():
    return load_registry().get("monitoring").card  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("request_text", "routed"),
    [
        ("how close are we to the drawdown limit?", True),
        ("show me the dashboard", True),
        ("any anomaly in the equity curve?", True),
        ("did the circuit breaker trip?", True),
        ("scan for leaked secrets", False),
        ("is on_tick fast enough?", False),
    ],
)
def test_routing_by_the_card(request_text: str, routed: bool) -> None:
    names = [d.droid for d in routing.route(load_registry().cards(), request=request_text)]
    assert ("monitoring" in names) == routed


def test_registered_with_its_rules_command_and_services() -> None:
    reg = load_registry()
    assert [r.id for r in reg.get("monitoring").rules()] == [f"MON00{i}" for i in range(1, 10)]  # type: ignore[union-attr]
    assert reg.service("monitor-state") is not None
    assert reg.service("profile") is not None  # the performance droid's, which the breaker asks for


@pytest.mark.parametrize(("mode", "runs"), [("gate", False), ("ask", True), ("run", True), ("audit", True)])
def test_the_check_runs_outside_gates(mode: str, runs: bool) -> None:
    task = Task(mode=mode, profile="ci" if mode == "gate" else mode, repo=REPO_ROOT, policies=REPO_ROOT / "policies",
                targets=Targets(kind="tree"))  # type: ignore[arg-type]  # fmt: skip
    assert account_check.applies(task) == runs


def _ask_repo(tmp: Path, journal: str | None) -> Path:
    repo = tmp / "repo"
    (repo / ".droid" / "sim" / "run1").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    if journal is not None:
        (repo / ".droid" / "sim" / "run1" / "journal.csv").write_text(journal)
    return repo


@pytest.mark.slow
def test_ask_answers_how_close_we_are_with_the_numbers(tmp_path: Path) -> None:
    repo = _ask_repo(tmp_path, HEADER + es_path([4990, 4950, 4915]))
    done = run(["--policies", str(REPO_ROOT / "policies"), "ask", "how close are we to the drawdown limit?"], repo,
               env_with(), timeout=300)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # an open MON001 (medium) ... and MON003 (high)
    text = " ".join(done.stdout.split())
    assert "Asked monitoring (trigger 'drawdown', trigger 'how close')" in text
    assert "equity $45,750.00 is $750.00 above the trailing drawdown threshold $45,000.00" in text
    assert "drawdown 85.0% of the allowed drawdown; at the warning level" in text
    assert "MON001" in text


def test_the_check_answers_with_the_numbers_and_reports_open_episodes(tmp_path: Path) -> None:
    repo = _ask_repo(tmp_path, HEADER + es_path([4990, 4950, 4915]))
    task = Task(mode="ask", profile="ask", request="how close are we to the drawdown limit?", repo=repo,
                policies=REPO_ROOT / "policies", targets=Targets(kind="tree"))  # fmt: skip
    outcome = account_check.run(task, DroidContext(state_dir=repo / ".droid"))
    assert outcome.answer is not None and "equity $45,750.00 is $750.00 above" in outcome.answer
    assert sorted(f.rule for f in outcome.findings) == ["MON001", "MON003"]
    assert {f.path for f in outcome.findings} == {".droid/sim/run1/journal.csv"}
    assert outcome.metrics["monitoring"]["distance_to_threshold"] == 750.0


def test_ask_without_a_journal_says_so_in_one_line(tmp_path: Path) -> None:
    repo = _ask_repo(tmp_path, None)
    task = Task(mode="ask", profile="ask", request="how close are we to the drawdown limit?", repo=repo,
                policies=REPO_ROOT / "policies", targets=Targets(kind="tree"))  # fmt: skip
    outcome = account_check.run(task, DroidContext(state_dir=repo / ".droid"))
    assert outcome.findings == [] and outcome.answer is not None and "\n" not in outcome.answer
    assert outcome.answer.startswith("monitoring: no account journal")
