"""Bad input is one clear line (file, key or line, what was expected) raised as DroidError (exit 2),
and nothing is written: benchmark JSON, budgets.yaml, perf.yaml, the stored baseline and history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.performance_optimizer import api
from droids.performance_optimizer.bench.store import history_path
from tests.conftest import REPO_ROOT

GOOD = {
    "benchmarks": [
        {
            "name": "test_on_tick_end_to_end",
            "extra_info": {"p50_us": 20.0, "p99_us": 45.5, "max_us": 300.0, "n": 40000},
        },
        {"name": "test_onnx_inference", "extra_info": {"p50_us": 7.0, "p99_us": 12.0, "max_us": 110.0}},
    ]
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "policies", root / "policies")
    return root


def _json(tmp_path: Path, data: object, name: str = "bench.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_a_good_json_is_judged_against_the_budgets(repo: Path, tmp_path: Path) -> None:
    result = api.bench(repo, repo / "policies", repo / ".droid", json_files=[_json(tmp_path, GOOD)])

    assert result.findings == []
    assert "on_tick: p99 45.5 us" in result.answer and "vs budget 50,000 us: within budget" in result.answer
    assert history_path(repo / ".droid").is_file()


def _without(key: str) -> dict:
    data = json.loads(json.dumps(GOOD))
    del data["benchmarks"][0]["extra_info"][key]
    return data


def _with(key: str, value: object) -> dict:
    data = json.loads(json.dumps(GOOD))
    data["benchmarks"][0]["extra_info"][key] = value
    return data


def _with_calibration(extra_info: object) -> dict:
    data = json.loads(json.dumps(GOOD))
    data["benchmarks"].append({"name": "test_timer_calibration", "extra_info": extra_info})
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"bench\.json: benchmark JSON not found"),
        ("{not json", r"bench\.json:1: malformed JSON"),
        ({"results": []}, r"not a pytest-benchmark JSON file: expected an object with a 'benchmarks' list"),
        ({"benchmarks": [GOOD["benchmarks"][1]]}, r"no benchmark named 'test_on_tick_end_to_end' for stage 'on_tick'"),
        (_without("p99_us"), r"benchmarks\[0\] \(test_on_tick_end_to_end\)\.extra_info\.p99_us: expected a number"),
        (_with("p50_us", -1), r"extra_info\.p50_us: expected a number of microseconds >= 0, got -1"),
        (_with("max_us", "fast"), r"extra_info\.max_us: expected a number of microseconds >= 0, got 'fast'"),
        (_with("p99_us", 400.0), r"expected p50_us <= p99_us <= max_us, got 20\.0, 400\.0, 300\.0"),
        (_with("n", 0), r"extra_info\.n: expected a positive number of timed calls, got 0"),
        (
            _with_calibration({"p50_us": 0.07, "p99_us": 0.13}),
            r"benchmarks\[2\] \(test_timer_calibration\)\.extra_info\.max_us: expected a number of microseconds",
        ),
        (_with_calibration(None), r"benchmarks\[2\] \(test_timer_calibration\)\.extra_info: missing"),
    ],
    ids=[
        "missing",
        "not-json",
        "not-pytest-benchmark",
        "stage-missing",
        "p99-missing",
        "negative",
        "text",
        "unordered",
        "n0",
        "calibration-without-max",
        "calibration-without-figures",
    ],
)
def test_bad_benchmark_json(repo: Path, tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "bench.json" if content is None else _json(tmp_path, content)

    with pytest.raises(DroidError, match=message):
        api.bench(repo, repo / "policies", repo / ".droid", json_files=[path])
    assert not history_path(repo / ".droid").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("on_tick_p99_us: 50000", "on_tick_p99_us: -5"),
            r"budgets\.yaml:7: budgets\.on_tick_p99_us: Input should be greater than 0",
        ),
        (
            ("  onnx_p99_us: 5000               # one model inference: 5 ms\n", ""),
            r"budgets\.yaml:\d+: budgets\.onnx_p99_us: Field required",
        ),
        (
            ("on_tick_p99_us: 50000", "on_tick_p99_us: fast"),
            r"budgets\.on_tick_p99_us: Input should be a valid integer",
        ),
    ],
    ids=["negative", "missing", "not-a-number"],
)
def test_a_bad_budgets_yaml_is_bad_input(repo: Path, tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    budgets = repo / "policies" / "budgets.yaml"
    text = budgets.read_text()
    assert edit[0] in text
    budgets.write_text(text.replace(edit[0], edit[1]))

    with pytest.raises(DroidError, match=message):
        api.bench(repo, repo / "policies", repo / ".droid", json_files=[_json(tmp_path, GOOD)])


@pytest.mark.parametrize(
    ("perf_yaml", "message"),
    [
        (
            "version: 1\nstages: {on_tick: {benchmark: t, budget: ontick_p99}}\n",
            r"perf\.yaml:2: stages\.on_tick\.budget: Value error, "
            r"expected a budget of budgets\.yaml \(on_tick_p99_us, onnx_p99_us\)",
        ),
        (
            "version: 1\nruns: {min: 5, max: 2}\n",
            r"perf\.yaml:2: runs: Value error, runs\.max must not be below runs\.min",
        ),
        (
            "version: 1\nregression: {statistics: [p90]}\n",
            r"perf\.yaml:2: regression\.statistics\.0: Input should be 'p50' or 'p99'",
        ),
        (
            "version: 1\nbenchmark: {timeout_s: 0}\n",
            r"perf\.yaml:2: benchmark\.timeout_s: Input should be greater than 0",
        ),
        (
            "version: 1\nworst_case: {noise_factor: 0.5}\n",
            r"perf\.yaml:2: worst_case\.noise_factor: Input should be greater than or equal to 1",
        ),
        (
            "version: 1\nworst_case: {calibration: ''}\n",
            r"perf\.yaml:2: worst_case\.calibration: String should have at least 1 character",
        ),
    ],
    ids=["unknown-budget", "runs-order", "statistic", "timeout", "noise-factor", "empty-calibration"],
)
def test_a_bad_perf_yaml_is_bad_input(repo: Path, tmp_path: Path, perf_yaml: str, message: str) -> None:
    (repo / "policies" / "perf.yaml").write_text(perf_yaml)

    with pytest.raises(DroidError, match=message):
        api.bench(repo, repo / "policies", repo / ".droid", json_files=[_json(tmp_path, GOOD)])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", r"baseline\.json:1: malformed JSON"),
        ('{"schema": "other"}', r"schema: expected 'perf-baseline/1'"),
        ('{"schema": "perf-baseline/1", "runs": []}', r"runs: expected a non-empty list of runs"),
        (
            '{"schema": "perf-baseline/1", "runs": [{"stages": {"on_tick": {"p50_us": 1}}}]}',
            r"runs\[0\]\.stages\.on_tick\.p99_us: expected a number",
        ),
    ],
    ids=["not-json", "schema", "no-runs", "incomplete-stage"],
)
def test_a_corrupt_baseline_is_bad_input(repo: Path, tmp_path: Path, content: str, message: str) -> None:
    baseline = repo / ".droid" / "perf" / "baseline.json"
    baseline.parent.mkdir(parents=True)
    baseline.write_text(content)

    with pytest.raises(DroidError, match=message):
        api.bench(repo, repo / "policies", repo / ".droid", json_files=[_json(tmp_path, GOOD)])


def test_a_corrupt_history_line_is_named_by_number(repo: Path) -> None:
    history = history_path(repo / ".droid")
    history.parent.mkdir(parents=True)
    history.write_text('{"schema": "perf-history/1", "stages": {}}\n{oops\n')

    with pytest.raises(DroidError, match=r"history\.jsonl:2: malformed JSON line"):
        api.report(repo / ".droid")


@pytest.mark.parametrize(("kwargs", "message"), [({"runs": 0}, r"--runs 0"), ({"runs": 101}, r"--runs 101")])
def test_run_counts_are_checked(repo: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(DroidError, match=message):
        api.bench(repo, repo / "policies", repo / ".droid", **kwargs)
