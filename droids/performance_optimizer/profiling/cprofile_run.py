"""cProfile of an OnTick replay: the top functions by cumulative and by own time.

The replay harness's own loop is left out of the tables (it is 100 % cumulative by construction);
its cumulative time is the total that shares are computed against. Paths inside the repository are
shown relative to it; C functions have no path.
"""

from __future__ import annotations

import pstats
import re
from dataclasses import dataclass
from pathlib import Path

from droids.performance_optimizer.profiling.launch import ReplayFailure, replay_command, run_replay
from droids.performance_optimizer.profiling.replay import HARNESS

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


@dataclass(frozen=True)
class FunctionTime:
    name: str  # "trading_core/engine/pipeline.py:123(on_tick)" or "{built-in method ...}"
    function: str
    path: str | None  # repo-relative, or None outside the repository / for C functions
    line: int | None
    calls: int
    own_s: float
    cumulative_s: float
    own_share: float
    cumulative_share: float


@dataclass(frozen=True)
class CProfileResult:
    ticks: int
    total_s: float
    by_cumulative: list[FunctionTime]
    by_own: list[FunctionTime]
    pstats_file: Path

    def table(self, rows: list[FunctionTime], title: str) -> str:
        us_per_tick = 1e6 / self.ticks
        lines = [title, f"{'own %':>6} {'cum %':>6} {'own us/tick':>11} {'calls':>9}  function"]
        for r in rows:
            lines.append(
                f"{r.own_share:6.1%} {r.cumulative_share:6.1%} {r.own_s * us_per_tick:11.2f} {r.calls:9d}  {r.name}"
            )
        return "\n".join(lines)

    def text(self) -> str:
        head = f"cProfile of {self.ticks:,} ticks through OnTick: {self.total_s:.2f} s under the profiler"
        own = self.table(self.by_own, "Top functions by own time:")
        cum = self.table(self.by_cumulative, "Top functions by cumulative time:")
        return f"{head}\n\n{own}\n\n{cum}\n"


def profile_replay(
    repo: Path, policies: Path, out_dir: Path, *, ticks: int, top: int, timeout_s: float
) -> CProfileResult | ReplayFailure:
    out_dir.mkdir(parents=True, exist_ok=True)
    stats_file = out_dir / "ontick.pstats"
    cmd = replay_command(policies, "cprofile", ticks, warmup=min(ticks, 2000), out=stats_file)
    failure = run_replay(repo, cmd, "cprofile", timeout_s, out_dir)
    if failure is not None:
        return failure
    return read_profile(stats_file, repo, ticks, top)


def read_profile(stats_file: Path, repo: Path, ticks: int, top: int) -> CProfileResult:
    stats = pstats.Stats(str(stats_file))
    raw = stats.stats  # type: ignore[attr-defined] - (file, line, name) -> (cc, nc, tt, ct, callers)
    harness = str(Path(HARNESS).resolve())
    total = max((ct for (f, _l, _n), (_cc, _nc, _tt, ct, _c) in raw.items() if _same(f, harness)), default=0.0)
    total = total or sum(tt for (_cc, _nc, tt, _ct, _c) in raw.values())
    rows = [
        _row(key, value, repo, total)
        for key, value in raw.items()
        if not _same(key[0], harness) and not key[2].startswith("<method 'disable'")
    ]
    by_own = sorted(rows, key=lambda r: r.own_s, reverse=True)[:top]
    by_cum = sorted(rows, key=lambda r: r.cumulative_s, reverse=True)[:top]
    return CProfileResult(ticks, total, by_cum, by_own, stats_file)


def _row(key: tuple[str, int, str], value: tuple, repo: Path, total: float) -> FunctionTime:
    file, line, func = key
    _cc, calls, own, cumulative, _callers = value
    path = _relative(file, repo)
    func = _ADDRESS.sub("", func)  # "<built-in method __new__ of type object at 0x7f..>": no address
    name = f"{path or file}:{line}({func})" if file != "~" else func
    return FunctionTime(
        name=name,
        function=func,
        path=path,
        line=line or None if file != "~" else None,
        calls=calls,
        own_s=own,
        cumulative_s=cumulative,
        own_share=own / total if total else 0.0,
        cumulative_share=cumulative / total if total else 0.0,
    )


def _relative(file: str, repo: Path) -> str | None:
    if file == "~" or file.startswith("<"):
        return None
    try:
        return Path(file).resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None


def _same(file: str, harness: str) -> bool:
    return file != "~" and not file.startswith("<") and str(Path(file).resolve()) == harness
