"""The droid as a whole: its card routes the right requests and changes here, questions run the checks
they name, and a gate that touches no data and no feature code costs nothing."""

from __future__ import annotations

import pytest

from droids.core.checks import selected
from droids.core.models import Targets, Task
from droids.core.registry import load_registry
from droids.data_pipeline.droid import CHECKS
from droids.data_pipeline.lookahead import static_check, truncation_check
from droids.data_pipeline.validate import data_check
from orchestrator import routing
from tests.conftest import REPO_ROOT


def _card():
    droid = load_registry().get("data-pipeline")
    assert droid is not None
    return droid.card


@pytest.mark.parametrize(
    ("request_text", "routed"),
    [
        ("is the data fresh? any gaps in the bars?", True),
        ("check the parquet catalog", True),
        ("any look-ahead bias in the features?", True),
        ("did twelvedata ingest run?", True),
        ("any leaked secrets?", False),
    ],
)
def test_triggers(request_text: str, routed: bool) -> None:
    assert bool(routing.trigger_hits(request_text, _card())) is routed


@pytest.mark.parametrize(
    ("path", "routed"),
    [
        ("data/es_2026.csv", True),
        ("research/bars.parquet", True),
        ("trading_core/features/batch.py", True),
        ("strategies/breakout/signal.py", True),
        ("policies/data.yaml", True),
        ("trading_core/apex/rules/base.py", False),
        ("README.md", False),
    ],
)
def test_changed_paths_route_here(path: str, routed: bool) -> None:
    hits, _ = routing.path_hits([path], _card())
    assert bool(hits) is routed


def _task(mode: str, request: str = "", paths: tuple[str, ...] = ()) -> Task:
    kind = "tree" if mode in ("audit", "ask") else "staged"
    return Task(
        mode=mode,
        profile="pre-commit" if mode == "gate" else mode,
        request=request,
        repo=REPO_ROOT,  # type: ignore[arg-type]
        policies=REPO_ROOT / "policies",
        targets=Targets(kind=kind, paths=paths),
    )  # type: ignore[arg-type]


def test_questions_run_the_checks_they_name() -> None:
    tree = ("trading_core/features/batch.py", "README.md")
    assert selected(CHECKS, _task("ask", "any look ahead leak in the features?", tree)) == [
        static_check,
        truncation_check,
    ]
    assert selected(CHECKS, _task("ask", "are the bars complete and fresh?", tree)) == [data_check]


def test_a_gate_runs_only_what_the_change_concerns() -> None:
    assert selected(CHECKS, _task("gate", paths=("README.md",))) == []
    assert selected(CHECKS, _task("gate", paths=("data/es.csv",))) == [data_check]
    assert selected(CHECKS, _task("gate", paths=("trading_core/features/batch.py",))) == [
        static_check,
        truncation_check,
    ]
