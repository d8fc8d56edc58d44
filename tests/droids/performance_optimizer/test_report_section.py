"""The performance section of the morning report, from the history the budget gate writes (real gate
runs on benchmark JSON files), reached through the registry as the other droids' sections are."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from droids.core.registry import load_registry
from droids.core.report_section import SectionContext
from droids.performance_optimizer import api
from tests.conftest import REPO_ROOT
from tests.droids.performance_optimizer.bench_files import bench_json

NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def _bench_json(tmp: Path, name: str, on_tick_p99: float) -> Path:
    return bench_json(tmp / name, on_tick_p99, on_tick_max=max(90.0, on_tick_p99), onnx_max=30.0)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "policies", root / "policies")
    return root


def _section(repo: Path):
    (build,) = [b for b in load_registry().all_services("report-section") if b.__module__.startswith("droids.perf")]
    return build(SectionContext(repo, repo / "policies", repo / ".droid", NOW))


@pytest.mark.parametrize(
    ("p99s", "status", "said"),
    [
        ([40.0, 45.0], "ok", "within budgets, no finding"),
        ([40.0, 60_000.0], "attention", "findings PERF010"),  # 60 ms over the 50 ms OnTick budget
    ],
)
def test_the_section_judges_the_newest_run(repo: Path, tmp_path: Path, p99s, status: str, said: str) -> None:
    for i, p99 in enumerate(p99s):
        api.bench(repo, repo / "policies", repo / ".droid", json_files=[_bench_json(tmp_path, f"r{i}.json", p99)])

    (section,) = _section(repo)

    assert (section.key, section.droid, section.status) == ("performance", "performance-optimizer", status)
    assert said in section.headline
    (block,) = section.blocks
    rows = {r[0]: r for r in block.tables[0].rows}
    assert rows["OnTick"][2] == ("45 us" if status == "ok" else "60 ms") and rows["OnTick"][3] == "50 ms"
    assert rows["ONNX inference"][1:4] == ("7 us", "12 us", "5 ms")
    assert [c.title.split(" latency")[0] for c in block.charts] == ["OnTick", "ONNX inference"]
    assert [s.values for s in block.charts[0].series if s.name == "p99"] == [tuple(p99s)]
    if status == "attention":
        assert "Over budget: OnTick" in block.lines[0]


def test_no_history_says_so_in_one_line(repo: Path) -> None:
    (section,) = _section(repo)
    assert section.status == "none" and section.blocks == []
    assert section.headline.startswith("No budget-gate run recorded yet (.droid/perf/history.jsonl)")


def test_a_malformed_history_line_is_bad_input_naming_the_line(repo: Path) -> None:
    from droids.core.errors import DroidError

    (repo / ".droid/perf").mkdir(parents=True)
    (repo / ".droid/perf/history.jsonl").write_text("{not json\n")
    with pytest.raises(DroidError, match=r"history.jsonl:1: malformed JSON line"):
        _section(repo)
