"""The droid's files under `.droid/perf/`: the stored baseline and the history of gate runs.

- `baseline.json` (`perf-baseline/1`): the per-run figures of each stage measured by
  `write_baseline` (`droid perf baseline`), with when, at which commit and under which machine load.
  Per-run figures, not only medians, so that a later comparison can bootstrap over them.
- `history.jsonl` (`perf-history/1`): one line per budget-gate run: medians per stage, the budget,
  the reference it was compared with, the verdict. `droid perf report` draws the trend from it.
A malformed file is bad input naming the file (and line); it is never silently replaced.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.performance_optimizer.bench.results import StageFigures

BASELINE_SCHEMA = "perf-baseline/1"
HISTORY_SCHEMA = "perf-history/1"


def perf_dir(state_dir: Path) -> Path:
    return state_dir / "perf"


def baseline_path(state_dir: Path) -> Path:
    return perf_dir(state_dir) / "baseline.json"


def history_path(state_dir: Path) -> Path:
    return perf_dir(state_dir) / "history.jsonl"


@dataclass(frozen=True)
class Baseline:
    created_at: str
    commit: str | None
    runs: list[dict[str, StageFigures]]
    loads: list[float | None]

    def values(self, stage: str, statistic: str) -> list[float]:
        return [getattr(run[stage], f"{statistic}_us") for run in self.runs if stage in run]


def write_baseline(
    path: Path,
    runs: Sequence[Mapping[str, StageFigures]],
    loads: Sequence[float | None],
    *,
    created_at: str,
    commit: str | None,
) -> None:
    data = {
        "schema": BASELINE_SCHEMA,
        "created_at": created_at,
        "commit": commit,
        "runs": [
            {"load": load, "stages": {name: f.as_dict() for name, f in run.items()}}
            for run, load in zip(runs, loads, strict=True)
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a baseline


def read_baseline(path: Path) -> Baseline | None:
    """The stored baseline, or None when there is none; a malformed one is a DroidError."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read the performance baseline ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise DroidError(
            f"{path}:{exc.lineno}: malformed JSON: {exc.msg}; rewrite it with `droid perf baseline`"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        raise DroidError(f"{path}: schema: expected {BASELINE_SCHEMA!r}; rewrite it with `droid perf baseline`")
    runs_data = data.get("runs")
    if not isinstance(runs_data, list) or not runs_data:
        raise DroidError(f"{path}: runs: expected a non-empty list of runs")
    runs, loads = [], []
    for i, run in enumerate(runs_data):
        stages = run.get("stages") if isinstance(run, dict) else None
        if not isinstance(stages, dict):
            raise DroidError(f"{path}: runs[{i}].stages: expected an object of stage figures")
        runs.append(
            {
                name: StageFigures.from_dict(
                    _obj(f, f"{path}: runs[{i}].stages.{name}"), f"{path}: runs[{i}].stages.{name}"
                )
                for name, f in stages.items()
            }
        )
        load = run.get("load")
        loads.append(float(load) if isinstance(load, int | float) else None)
    commit = data.get("commit")
    return Baseline(str(data.get("created_at", "")), commit if isinstance(commit, str) else None, runs, loads)


def append_history(path: Path, entry: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"schema": HISTORY_SCHEMA, **entry}, sort_keys=True) + "\n")


def read_history(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{path}: cannot read the performance history ({exc.__class__.__name__})") from None
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DroidError(f"{path}:{number}: malformed JSON line: {exc.msg}") from None
        if (
            not isinstance(entry, dict)
            or entry.get("schema") != HISTORY_SCHEMA
            or not isinstance(entry.get("stages"), dict)
        ):
            raise DroidError(f"{path}:{number}: expected a {HISTORY_SCHEMA} entry with 'stages'")
        entries.append(entry)
    return entries


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise DroidError(f"{where}: expected an object with p50_us, p99_us and max_us")
    return value
