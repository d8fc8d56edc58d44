"""Read a pytest-benchmark JSON file into per-stage figures (p50, p99, max in microseconds).

The benchmark suite times each call one by one and stores the percentiles in each benchmark's
`extra_info` (`p50_us`, `p99_us`, `max_us`, optional `n`), next to pytest-benchmark's own
statistics (which are per round of several calls, so they cannot give a per-call p99). A stage of
perf.yaml names the benchmark test that measures it (a parametrized test matches as `name[...]`);
the timer calibration (perf.yaml worst_case.calibration) stores the same figures for a no-op call.
Every problem is a `DroidError` naming the file, the benchmark and the key.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.performance_optimizer.policy import StageSpec

FIGURES = ("p50_us", "p99_us", "max_us")


@dataclass(frozen=True)
class StageFigures:
    p50_us: float
    p99_us: float
    max_us: float
    n: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str) -> StageFigures:
        values = [_microseconds(data.get(k), f"{where}.{k}") for k in FIGURES]
        n = data.get("n")
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
            raise DroidError(f"{where}.n: expected a positive number of timed calls, got {n!r}")
        return cls(*values, n=n)


def read_benchmark_json(path: Path, display: str | None = None) -> dict[str, Any]:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DroidError(f"{name}: benchmark JSON not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DroidError(f"{name}: cannot read benchmark JSON ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DroidError(f"{name}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise DroidError(f"{name}: not a pytest-benchmark JSON file: expected an object with a 'benchmarks' list")
    return data


def stage_figures(
    data: Mapping[str, Any], stages: Mapping[str, StageSpec], display: str, *, optional: bool = False
) -> dict[str, StageFigures]:
    """Figures of every perf.yaml stage; a stage whose benchmark is absent (unless `optional`: the
    base of a change may predate a stage) or incomplete is an error."""
    entries = data["benchmarks"]
    names = [e.get("name") if isinstance(e, dict) else None for e in entries]
    out: dict[str, StageFigures] = {}
    for stage, spec in stages.items():
        matches = [i for i, n in enumerate(names) if isinstance(n, str) and _matches(n, spec.benchmark)]
        if not matches and optional:
            continue
        if not matches:
            found = ", ".join(str(n) for n in names) or "no benchmarks"
            raise DroidError(
                f"{display}: no benchmark named {spec.benchmark!r} for stage {stage!r} (perf.yaml "
                f"stages.{stage}.benchmark); the file has: {found}"
            )
        out[stage] = _figures(entries, matches[0], names, display)
    return out


def calibration_figures(data: Mapping[str, Any], benchmark: str, display: str) -> StageFigures | None:
    """The figures of the timer calibration benchmark (perf.yaml worst_case.calibration), None when the
    suite has no such benchmark; present but incomplete is an error like a stage's."""
    entries = data["benchmarks"]
    names = [e.get("name") if isinstance(e, dict) else None for e in entries]
    matches = [i for i, n in enumerate(names) if isinstance(n, str) and _matches(n, benchmark)]
    return _figures(entries, matches[0], names, display) if matches else None


def _figures(entries: list[Any], i: int, names: list[Any], display: str) -> StageFigures:
    extra = entries[i].get("extra_info")
    where = f"{display}: benchmarks[{i}] ({names[i]}).extra_info"
    if not isinstance(extra, dict):
        raise DroidError(f"{where}: missing; the suite must store p50_us, p99_us and max_us per stage")
    figures = StageFigures.from_dict(extra, where)
    if not figures.p50_us <= figures.p99_us * (1 + 1e-9) <= figures.max_us * (1 + 1e-9):
        raise DroidError(
            f"{where}: expected p50_us <= p99_us <= max_us, got {figures.p50_us}, {figures.p99_us}, {figures.max_us}"
        )
    return figures


def _matches(name: str, benchmark: str) -> bool:
    return name == benchmark or name.startswith(benchmark + "[")


def _microseconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        shown = "nothing" if value is None else repr(value)
        raise DroidError(f"{where}: expected a number of microseconds >= 0, got {shown}")
    return float(value)
