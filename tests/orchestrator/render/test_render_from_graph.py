"""Every format renders a report the real orchestrator graph produced (not only hand-built ones)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from droids.core.models import RunReport, Targets, Task
from droids.core.policy import load_gates
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from orchestrator.graph import run_task
from orchestrator.render import FORMATS, render
from tests.conftest import REPO_ROOT
from tests.orchestrator.render.reports import sarif_schema
from tests.orchestrator.sample_droids import FindingDroid, RaisingDroid, make_droid


@pytest.fixture
def graph_report(tmp_path: Path) -> RunReport:
    registry = Registry(
        [make_droid(tmp_path, "finder", FindingDroid, rule="TST001"), make_droid(tmp_path, "crasher", RaisingDroid)]
    )
    task = Task(
        mode="gate",
        profile="pre-commit",
        repo=tmp_path,
        policies=REPO_ROOT / "policies",
        targets=Targets(kind="paths", paths=("a.py", "dir with space/b.py")),
    )
    gates = load_gates(REPO_ROOT / "policies")
    return run_task(task, registry, gates, DroidContext(tmp_path / ".droid"), frozenset())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_both_findings_and_the_crash(graph_report: RunReport, fmt: str) -> None:
    out = render(graph_report, fmt)
    assert "a.py" in out
    assert "crasher" in out
    assert "RuntimeError: droid bug" in out


def test_sarif_and_junit_of_a_graph_run(graph_report: RunReport) -> None:
    errors = list(jsonschema.Draft7Validator(sarif_schema()).iter_errors(json.loads(render(graph_report, "sarif"))))
    assert errors == []
    suites = {suite.name: list(suite) for suite in JUnitXml.fromstring(render(graph_report, "junit").encode())}
    (finder_case,) = suites["finder"]
    assert isinstance(finder_case.result[0], Failure)
    assert finder_case.result[0].text == "a.py:1 problem in a.py\ndir with space/b.py:1 problem in dir with space/b.py"
    assert isinstance(suites["crasher"][-1].result[0], Error)
