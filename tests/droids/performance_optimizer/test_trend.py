"""Budget tracking over time: each gate run appends a history line; the report renders the trend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from droids.performance_optimizer import api
from droids.performance_optimizer.bench.store import history_path, read_history
from tests.conftest import REPO_ROOT
from tests.droids.performance_optimizer.bench_files import bench_json


def _bench_json(tmp_path: Path, name: str, on_tick_p99: float) -> Path:
    # a quiet machine: the on_tick max of 120 ms is the code's (PERF011), not noise
    return bench_json(tmp_path / name, on_tick_p99, on_tick_max=120_000.0, onnx_max=110.0)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "policies", root / "policies")
    return root


def test_each_run_appends_one_line_and_the_report_shows_the_trend(repo: Path, tmp_path: Path) -> None:
    state = repo / ".droid"
    for i, p99 in enumerate([40.0, 45.0, 60_000.0]):
        api.bench(repo, repo / "policies", state, json_files=[_bench_json(tmp_path, f"run{i}.json", p99)])

    history = read_history(history_path(state))
    report = api.report(state, tmp_path / "out")

    assert [e["stages"]["on_tick"]["p99_us"] for e in history] == [40.0, 45.0, 60_000.0]
    assert [e["findings"] for e in history] == [["PERF011"], ["PERF011"], ["PERF010", "PERF011"]]
    lines = report.table.splitlines()
    assert lines[0].split()[:3] == ["when", "(UTC)", "commit"]
    assert "20.0/60000.0 (120.00%)" in lines[3] and "PERF010, PERF011" in lines[3]
    assert "20.0/40.0 (0.08%)" in lines[1]
    page = report.html_file.read_text()  # type: ignore[union-attr]
    assert page.count('<svg class="chart"') == 2  # one chart per stage, drawn by matplotlib
    assert ">OnTick latency against its budget (on_tick)<" in page and ">p99 budget<" in page
    assert ">run with findings<" in page  # the red dots


def test_trend_charts_follow_the_history(repo: Path, tmp_path: Path) -> None:
    from droids.performance_optimizer.trend import trend_charts

    entries = [
        {"ts": "2026-03-09T06:30:00Z",
         "stages": {"on_tick": {"p50_us": 20.0, "p99_us": 40.0, "budget_p99_us": 50_000}}},
        {"ts": "2026-03-10T06:30:00Z", "findings": ["PERF010"],
         "stages": {"on_tick": {"p50_us": 21.0, "p99_us": 60_000.0, "budget_p99_us": 50_000}}},
    ]  # fmt: skip
    (chart,) = trend_charts(entries, ["on_tick", "onnx_inference"])  # no ONNX figures: no chart

    by_name = {s.name: s.values for s in chart.series}
    assert by_name == {
        "p50": (20.0, 21.0),
        "p99": (40.0, 60_000.0),
        "p99 budget": (50_000.0, 50_000.0),
        "run with findings": (None, 60_000.0),
    }
    assert chart.log_y and chart.x_is_time and chart.x == ("2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z")


def test_the_report_keeps_the_last_runs(repo: Path, tmp_path: Path) -> None:
    state = repo / ".droid"
    for i in range(4):
        api.bench(repo, repo / "policies", state, json_files=[_bench_json(tmp_path, f"r{i}.json", 40.0 + i)])

    report = api.report(state, last=2)

    assert [e["stages"]["on_tick"]["p99_us"] for e in report.entries] == [42.0, 43.0]
    assert report.html_file is None


def test_an_empty_history_says_so(tmp_path: Path) -> None:
    report = api.report(tmp_path / ".droid", tmp_path / "out")

    assert report.table.startswith("No budget-gate runs recorded yet")
    assert "<h1>" in report.html_file.read_text()  # type: ignore[union-attr]
