from __future__ import annotations

import threading
from pathlib import Path

import pytest

from droids.core.models import Targets, Task
from droids.core.policy import load_gates
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from orchestrator.graph import run_task
from tests.conftest import REPO_ROOT
from tests.orchestrator.sample_droids import BarrierDroid, FindingDroid, RaisingDroid, SleepyDroid, make_droid

GATES = load_gates(REPO_ROOT / "policies")


def _task(tmp: Path, mode: str = "gate", profile: str = "pre-commit", request: str = "", paths=("a.py",)) -> Task:
    return Task(
        mode=mode,
        profile=profile,
        request=request,
        repo=tmp,
        policies=REPO_ROOT / "policies",
        targets=Targets(kind="paths", paths=tuple(paths)),
    )


def test_failing_and_slow_droids_do_not_hide_the_others(tmp_path: Path) -> None:
    registry = Registry(
        [
            make_droid(tmp_path, "finder", FindingDroid, rule="TST001"),
            make_droid(tmp_path, "crasher", RaisingDroid, rule="TST002"),
            make_droid(tmp_path, "sleeper", SleepyDroid, rule="TST003"),
        ]
    )
    gates = GATES.model_copy(
        update={
            "profiles": {
                **GATES.profiles,
                "pre-commit": GATES.profiles["pre-commit"].model_copy(update={"time_limit_s": 0.5}),
            }
        }
    )
    report = run_task(_task(tmp_path), registry, gates, DroidContext(tmp_path / ".droid"), frozenset())
    status = {d.name: d.status for d in report.droids}
    assert status == {"finder": "ok", "crasher": "error", "sleeper": "timeout"}
    crash = next(d for d in report.droids if d.name == "crasher")
    assert "RuntimeError: droid bug" in crash.error and "traceback in" in crash.error
    log = Path(crash.error.split("traceback in ")[1].rstrip(")"))
    assert "droid bug" in log.read_text()
    assert [f.rule for f in report.findings] == ["TST001"]
    assert report.verdict == "block"  # fails closed


def test_droids_run_in_parallel(tmp_path: Path) -> None:
    BarrierDroid.BARRIER = threading.Barrier(2, timeout=10)
    registry = Registry(
        [
            make_droid(tmp_path, "left", BarrierDroid, rule="TST001"),
            make_droid(tmp_path, "right", BarrierDroid, rule="TST002"),
        ]
    )
    report = run_task(_task(tmp_path), registry, GATES, DroidContext(tmp_path / ".droid"), frozenset())
    assert [d.status for d in report.droids] == ["ok", "ok"]


@pytest.mark.parametrize(
    ("mode", "request_text", "paths", "expected"),
    [
        ("ask", "is the finder happy", (), ["finder"]),
        ("ask", "@other please", (), ["other"]),
        ("gate", "", ("src/x.py",), ["finder"]),
        ("gate", "", ("docs/x.md",), ["other"]),
        ("gate", "", ("notes.txt",), []),
        ("audit", "", (), ["finder", "other"]),
    ],
)
def test_routing_reasons_are_recorded(tmp_path: Path, mode: str, request_text: str, paths, expected) -> None:
    registry = Registry(
        [
            make_droid(tmp_path, "finder", FindingDroid, paths="**/*.py", rule="TST001"),
            make_droid(tmp_path, "other", FindingDroid, paths="docs/**", rule="TST002"),
        ]
    )
    profile = {"ask": "ask", "gate": "pre-commit", "audit": "audit"}[mode]
    task = _task(tmp_path, mode=mode, profile=profile, request=request_text, paths=paths)
    report = run_task(task, registry, GATES, DroidContext(tmp_path / ".droid"), frozenset())
    assert [r.droid for r in report.routing] == expected
    assert all(r.reasons for r in report.routing)
    assert [d.name for d in report.droids] == expected
    if not expected:
        assert report.verdict == "pass"
