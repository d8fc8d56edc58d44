"""Profiling an OnTick replay: cProfile tables, py-spy files or the reason there are none, memory
growth (a leak injected into a copy of the pipeline is caught, the real one is clean), crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droids.performance_optimizer import api
from droids.performance_optimizer.policy import MemorySpec, PerfPolicy, ProfileSpec
from droids.performance_optimizer.profiling import flamegraph
from droids.performance_optimizer.profiling.cprofile_run import CProfileResult
from droids.performance_optimizer.profiling.memory import MemoryResult, growth
from droids.performance_optimizer.profiling.report import run_profile
from tests.conftest import REPO_ROOT
from tests.droids.performance_optimizer.pipeline_copy import add_crash, add_leak, make_repo

pytestmark = pytest.mark.slow
SMALL = PerfPolicy(
    profile=ProfileSpec(ticks=3000, top=8, hotspot_share=0.1),
    memory=MemorySpec(ticks=10_000, warmup_ticks=2000, checkpoints=5, leak_kb_per_100k_ticks=512),
)


def test_cprofile_tables_name_the_pipeline_and_its_hotspots(tmp_path: Path) -> None:
    report = run_profile(REPO_ROOT, REPO_ROOT / "policies", tmp_path, SMALL)

    result = report.cprofile
    assert isinstance(result, CProfileResult)
    assert result.ticks == 3000 and len(result.by_own) == 8
    assert any(r.path == "trading_core/engine/pipeline.py" and r.function == "on_tick" for r in result.by_cumulative)
    assert "Top functions by own time:" in report.text() and "Top functions by cumulative time:" in report.text()
    assert (tmp_path / "ontick.pstats").is_file() and (tmp_path / "profile.txt").is_file()
    hotspots = [f for f in report.findings if f.rule == "PERF020"]
    assert hotspots and all(f.severity.value == "info" and f.share >= 0.1 for f in hotspots)  # type: ignore[attr-defined]
    assert all(" at 0x" not in f.message for f in hotspots)  # fingerprints must not carry addresses
    assert all(f.path and f.path.startswith("trading_core/") for f in hotspots)  # C functions: the pipeline entry


@pytest.mark.slow
def test_py_spy_records_a_flame_graph_or_says_why_not(tmp_path: Path) -> None:
    report = api.profile(REPO_ROOT, REPO_ROOT / "policies", tmp_path, ticks=2000)

    assert report.flame is not None
    if flamegraph.find_py_spy() is None or report.flame.why_not:
        assert report.flame.why_not and "cProfile tables only" in report.flame.why_not
        assert report.flame.why_not in report.text()
        return
    svg, speedscope = tmp_path / "flame.svg", tmp_path / "speedscope.json"
    assert report.flame.files == [svg, speedscope]
    assert "<svg" in svg.read_text()[:500]
    assert "speedscope" in json.loads(speedscope.read_text())["$schema"]


def test_without_py_spy_the_profile_falls_back_to_cprofile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flamegraph, "find_py_spy", lambda: None)

    report = api.profile(REPO_ROOT, REPO_ROOT / "policies", tmp_path, ticks=500)

    assert isinstance(report.cprofile, CProfileResult)
    assert report.flame is not None and report.flame.files == []
    assert report.flame.why_not == "py-spy is not installed (pip install py-spy); cProfile tables only"


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("Error: Permission Denied: Try running again with elevated permissions", "ptrace is not permitted"),
        ("Error: Operation not permitted (os error 1)", "ptrace is not permitted"),
        ("Error: Failed to find python version from target process", "py-spy failed"),
    ],
)
def test_why_py_spy_could_not_attach(stderr: str, expected: str) -> None:
    assert expected in flamegraph._why(stderr)


def test_a_leak_in_a_copy_of_the_pipeline_is_caught(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", commit=False)
    add_leak(repo)

    report = run_profile(repo, repo / "policies", tmp_path / "out", SMALL, cprofile=False, memory=True)

    assert isinstance(report.memory, MemoryResult)
    (finding,) = report.findings
    assert finding.rule == "PERF021" and finding.severity.value == "high"
    assert report.memory.kb_per_100k_ticks > 2000  # a tuple of four per tick: ~100 bytes each
    assert "KB per 100,000 ticks" in finding.message
    assert finding.path == "trading_core/engine/pipeline.py" and finding.line is not None  # Engine.on_tick


def test_the_real_pipeline_does_not_grow(tmp_path: Path) -> None:
    report = run_profile(REPO_ROOT, REPO_ROOT / "policies", tmp_path, SMALL, cprofile=False, memory=True)

    assert isinstance(report.memory, MemoryResult)
    assert report.findings == []
    assert report.memory.kb_per_100k_ticks < 512
    assert len(report.memory.points) == 6  # the start and five checkpoints


def test_a_pipeline_that_raises_during_the_replay_is_a_blocking_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", commit=False)
    add_crash(repo, after_ticks=2500)  # after the warm-up, inside the profiled replay

    report = run_profile(repo, repo / "policies", tmp_path / "out", SMALL)

    (finding,) = report.findings
    assert finding.rule == "PERF022" and finding.severity.value == "high"
    assert "cprofile replay crashed" in finding.message and "injected crash in on_tick" in finding.message


def test_growth_is_the_median_slope_not_one_jump() -> None:
    flat_with_a_step = [(0, 0), (10_000, 200), (20_000, 300), (30_000, 9_000), (40_000, 9_100), (50_000, 9_200)]
    steady = [(i * 10_000, i * 10_000 * 120) for i in range(6)]  # 120 bytes per tick

    assert growth(flat_with_a_step).kb_per_100k_ticks < 512
    assert growth(steady).kb_per_100k_ticks == pytest.approx(120 * 100_000 / 1024)
