"""CMP003: the trading core's adversarial scenarios, simulated for real, judged by the Apex rule engine."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Severity
from droids.security_compliance.compliance import cmp003_scenarios as cmp003
from droids.security_compliance.compliance import scenarios as suite
from droids.security_compliance.compliance.scenarios import Scenario
from tests.conftest import REPO_ROOT, git
from tests.droids.security_compliance.access.test_sec020_access_control import base_task, edit, run, staged_task
from trading_core.sim.plan import DayPlan

STRATEGY = "policies/strategy.yaml"
APEX = "policies/apex.yaml"
# One normal day under a policy whose soft drawdown warning (APX010) sits at 1 % of the allowance:
# the day's first dip reaches it, so the rule engine reports APX010. (A single profitable day no
# longer breaks anything by arithmetic: consistency is judged only at a payout request.)
ONE_DAY = Scenario("one-day", 1, 7, (DayPlan(),), "a single day", quick=True)
ONE_DAY_EXEMPT = Scenario(
    "one-day-exempt",
    1,
    7,
    (DayPlan(),),
    "the same day",
    exempt={"APX010": "this test's warning level is 1 % of the allowance"},
)
WARN_EARLY = (
    'warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: null',
    'warn_at: "0.01", danger_at: "0.95", stop_trailing_above_start: null',
)


def sim_repo(repo: Path) -> Path:
    """`repo` with every shipped policy file (the simulator reads them all) and its own copy of the
    trading core (the governed core CMP003 simulates, in worker processes, not droid's bundled one)."""
    shutil.copytree(REPO_ROOT / "policies", repo / "policies")
    shutil.copytree(REPO_ROOT / "trading_core", repo / "trading_core", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "trading_core" / "notes.py").write_text("X = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "policies")
    git(repo, "switch", "-q", "-c", "feature")
    return repo


def journal_row(finding_path: str, repo: Path, line: int) -> dict[str, str]:
    with (repo / finding_path).open(newline="") as f:
        return list(csv.DictReader(f))[line - 2]


def test_violations_become_findings_and_results_are_written(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = sim_repo(git_repo)
    monkeypatch.setattr(suite, "SCENARIOS", (ONE_DAY, ONE_DAY_EXEMPT))
    edit(repo, APEX, *WARN_EARLY)
    edit(repo, "trading_core/notes.py", "X = 1", "X = 2")
    git(repo, "commit", "-q", "-am", "touch the core, warn early")
    inputs = suite.inputs_digest(repo / "policies", repo / "trading_core")
    outcome = run(cmp003, base_task(repo))  # ci: every scenario, two at once in worker processes
    results = json.loads((repo / ".droid" / "compliance" / "scenarios.json").read_text())
    assert [(r["scenario"], r["seed"], r["days"], r["passed"]) for r in results] == [
        ("one-day", 7, 1, False),
        ("one-day-exempt", 7, 1, True),
    ]
    strict, exempt = results
    assert {v["rule"] for v in strict["violations"]} == {"APX010"}
    assert exempt["violations"] == [] and {v["rule"] for v in exempt["exempt"]} == {"APX010"}
    assert set(strict["violations"][0]) >= {"rule", "event_index", "trading_day"}
    assert len(outcome.findings) == len(strict["violations"])
    finding = outcome.findings[0]
    assert (finding.rule, finding.severity, finding.apex_rule) == ("CMP003", Severity.HIGH, "APX010")  # type: ignore[attr-defined]
    assert finding.path == ".droid/compliance/scenarios/one-day/journal.csv"
    assert finding.line == strict["violations"][0]["event_index"] + 2
    row = journal_row(finding.path, repo, finding.line)
    assert row["kind"] in ("fill", "mark") and row["ts"].startswith(finding.trading_day)  # type: ignore[attr-defined]
    assert outcome.metrics == {"scenarios": 2, "scenarios_failed": 1}

    again = run(cmp003, base_task(repo))
    assert again.findings == outcome.findings
    # unchanged inputs come from the cache; a trading_core edited meanwhile (another checkout's work) does not
    expected = (
        "0 scenario(s) simulated, 2 from cache"
        if suite.inputs_digest(repo / "policies", repo / "trading_core") == inputs
        else "2 scenario(s) simulated"
    )
    assert any(expected in n for n in again.notes), again.notes


def test_a_staged_gate_simulates_the_index_policies(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = sim_repo(git_repo)
    quick = Scenario("quick-day", 1, 7, (), "one normal day", quick=True)  # no exemption: one day judges every rule
    monkeypatch.setattr(suite, "SCENARIOS", (quick,))
    edit(repo, APEX, *WARN_EARLY)  # a drawdown warning at 1 % of the allowance: in the work tree only
    edit(repo, "trading_core/notes.py", "X = 1", "X = 2")
    git(repo, "add", "trading_core/notes.py")
    quiet = run(cmp003, staged_task(repo))
    assert quiet.findings == []
    assert not (repo / ".droid" / "compliance" / "scenarios.json").exists()  # the pre-commit subset
    git(repo, "add", APEX)
    loud = run(cmp003, staged_task(repo))
    assert {f.apex_rule for f in loud.findings} >= {"APX010"}  # type: ignore[attr-defined]


def test_invalid_policy_for_the_simulator_is_bad_input(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = sim_repo(git_repo)
    monkeypatch.setattr(suite, "SCENARIOS", (ONE_DAY,))
    edit(repo, STRATEGY, "symbols: [ES, NQ]", "symbols: [ES, ZZ]")
    git(repo, "add", STRATEGY)
    with pytest.raises(DroidError, match=r"^policies/strategy\.yaml"):
        run(cmp003, staged_task(repo))


@pytest.mark.parametrize(
    ("profile", "paths", "applies"),
    [
        ("pre-commit", ("policies/apex.yaml",), True),
        ("pre-commit", ("trading_core/engine/pipeline.py",), True),
        ("pre-commit", ("README.md",), False),
        ("ci", ("README.md",), True),
        ("audit", (), True),
        ("ask", (), True),  # then only when the question names scenarios (INTENT, ASK_BY_DEFAULT)
    ],
)
def test_when_it_runs(profile: str, paths: tuple[str, ...], applies: bool) -> None:
    from droids.core.models import Targets, Task

    task = Task(mode="gate", profile=profile, repo=REPO_ROOT, policies=REPO_ROOT / "policies",  # type: ignore[arg-type]
                targets=Targets(kind="paths", paths=paths))  # fmt: skip
    assert cmp003.applies(task) is applies


@pytest.mark.slow
def test_the_full_suite_passes_on_the_shipped_trading_core(git_repo: Path) -> None:
    repo = sim_repo(git_repo)
    edit(repo, "trading_core/notes.py", "X = 1", "X = 2")
    git(repo, "commit", "-q", "-am", "touch the core")
    outcome = run(cmp003, base_task(repo))
    results = json.loads((repo / ".droid" / "compliance" / "scenarios.json").read_text())
    assert [r["scenario"] for r in results] == [s.name for s in suite.SCENARIOS]
    assert outcome.findings == [], [f.message for f in outcome.findings]
    assert all(r["passed"] and r["checked"] and r["trades"] > 0 for r in results)


def test_a_repository_without_a_trading_core_is_not_applicable_once(git_repo: Path) -> None:
    shutil.copytree(REPO_ROOT / "policies", git_repo / "policies")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "policies only")
    outcome = run(cmp003, base_task(git_repo, "HEAD"))
    assert outcome.findings == [] and outcome.notes == [
        "CMP003: not applicable: no trading core configured ([tool.droid] trading-core, or a trading_core/ package)"
    ]


@pytest.mark.slow
def test_the_repositorys_own_core_runs_and_nothing_else_of_the_repository(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CMP003 simulates the governed core (the repository's trading_core/), in workers that import
    droid itself from where it is installed: a planted droids/ or sitecustomize.py never runs."""
    repo = sim_repo(git_repo)
    monkeypatch.setattr(suite, "SCENARIOS", (ONE_DAY,))
    marker = repo.parent / "markers"
    marker.mkdir()
    init = repo / "trading_core" / "__init__.py"
    init.write_text(init.read_text() + f"\nopen({str(marker / 'core')!r}, 'w').close()\n")
    for planted in ("droids/__init__.py", "sitecustomize.py", "orchestrator/__init__.py"):
        (repo / planted).parent.mkdir(exist_ok=True)
        (repo / planted).write_text(f"open({str(marker / planted.replace('/', '_'))!r}, 'w').close()\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a core that says when it runs, and planted modules")
    monkeypatch.chdir(repo)
    outcome = run(cmp003, base_task(repo))
    assert outcome.notes == ["CMP003: 1 scenario(s) simulated, 0 from cache"]  # what ran: said once, by run_checks
    assert sorted(p.name for p in marker.iterdir()) == ["core"]


def test_a_core_the_simulator_cannot_run_is_a_blocking_finding_not_a_pass(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A governed core that lacks a module the simulator needs is never filled in from droid's own
    bundled copy: the scenario is a high finding (nothing checked), and is not cached."""
    repo = sim_repo(git_repo)
    monkeypatch.setattr(suite, "SCENARIOS", (ONE_DAY,))
    shutil.rmtree(repo / "trading_core" / "sim")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a core without its simulator")
    for _ in range(2):  # the second run simulates again: a crash is not a result to keep
        outcome = run(cmp003, base_task(repo))
        assert outcome.notes[0] == "CMP003: 1 scenario(s) simulated, 0 from cache"
        (finding,) = outcome.findings
        assert finding.severity is Severity.HIGH
        assert finding.message.startswith("scenario one-day: the simulation of the trading core raised (exit 1: ")
        assert "No module named 'trading_core.sim' in the governed trading core" in finding.message
    results = json.loads((repo / ".droid" / "compliance" / "scenarios.json").read_text())
    assert [(r["scenario"], r["passed"], r["checked"]) for r in results] == [("one-day", False, False)]
