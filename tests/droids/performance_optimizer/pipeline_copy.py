"""A throw-away repository holding a copy of the trading core, its policies and a small benchmark
suite, and the edits the performance droid must catch in Engine.on_tick: a slow step, a periodic
stall, a leak.

Edits are made to the copy's source text at a stated anchor; if the pipeline changes so that an
anchor is gone, the edit fails loudly instead of silently measuring the unchanged pipeline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO_ROOT, git

FIXTURE_BENCH = Path(__file__).with_name("fixtures") / "bench_pipeline.py"
BENCH_PATH = "bench/bench_pipeline.py"
PIPELINE = "trading_core/engine/pipeline.py"
ANCHOR = "        t0 = perf_counter_ns()\n"

PERF_YAML = f"""\
version: 1
benchmark: {{path: {BENCH_PATH}, timeout_s: 120}}
runs: {{min: 3, max: 5}}
gate_paths: ["trading_core/**", "policies/budgets.yaml", "policies/perf.yaml", "bench/**"]
profile: {{ticks: 3000, top: 10}}
memory: {{ticks: 20000, warmup_ticks: 2000, checkpoints: 6, leak_kb_per_100k_ticks: 512}}
static: {{exclude: []}}
"""


def make_repo(dest: Path, *, perf_yaml: str = PERF_YAML, commit: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "trading_core", dest / "trading_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "policies", dest / "policies")
    (dest / "policies" / "perf.yaml").write_text(perf_yaml, encoding="utf-8")
    (dest / "bench").mkdir()
    shutil.copy(FIXTURE_BENCH, dest / BENCH_PATH)
    if commit:
        git(dest, "init", "-q", "-b", "main")
        git(dest, "config", "user.email", "dev@example.com")
        git(dest, "config", "user.name", "Dev")
        git(dest, "config", "commit.gpgsign", "false")
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "-m", "pipeline")
    return dest


def edit_on_tick(repo: Path, inserted: str) -> None:
    """Insert `inserted` (already indented for the method body) right after on_tick's first line."""
    path = repo / PIPELINE
    text = path.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1, f"anchor {ANCHOR!r} not found once in {PIPELINE}: update the test edit"
    path.write_text(text.replace(ANCHOR, ANCHOR + inserted), encoding="utf-8")


def add_slow_step(repo: Path, micros: int) -> None:
    """A busy loop of `micros` microseconds on every tick (a sleep would yield the CPU: not the point)."""
    edit_on_tick(repo, f"        while perf_counter_ns() - t0 < {micros * 1000}:\n            pass\n")


def add_periodic_stall(repo: Path, every: int, micros: int) -> None:
    """A busy loop of `micros` microseconds on one tick in `every`: a slow path every run hits."""
    edit_on_tick(
        repo,
        f"        if self.ticks % {every} == 0:\n"
        f"            while perf_counter_ns() - t0 < {micros * 1000}:\n"
        "                pass\n",
    )


def add_leak(repo: Path) -> None:
    """Keep a new tuple per tick for ever (about 100 bytes a tick)."""
    edit_on_tick(
        repo,
        "        self.__dict__.setdefault('_seen', []).append((tick.ts_us, tick.bid, tick.ask, tick.symbol))\n",
    )


def add_crash(repo: Path, after_ticks: int) -> None:
    edit_on_tick(
        repo,
        f"        if self.ticks >= {after_ticks}:\n            raise RuntimeError('injected crash in on_tick')\n",
    )
