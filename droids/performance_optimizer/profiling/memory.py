"""Memory growth of a long OnTick replay under tracemalloc, as bytes per 100,000 ticks.

The replay (after a warm-up that fills caches, histograms and first brackets) reports the traced
size after each of N equal chunks of ticks and a full garbage collection. The growth rate is the
Theil-Sen slope of those points (the median of the slopes between every pair): one chunk that
happens to hold a day's first allocations does not make a leak, a steady climb does.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from droids.core.errors import DroidError
from droids.performance_optimizer.policy import MemorySpec
from droids.performance_optimizer.profiling.launch import ReplayFailure, replay_command, run_replay

PER = 100_000


@dataclass(frozen=True)
class MemoryResult:
    ticks: int
    points: list[tuple[int, int]]  # (ticks replayed, bytes above the start)
    kb_per_100k_ticks: float
    total_kb: float

    def text(self) -> str:
        return (
            f"tracemalloc over {self.ticks:,} ticks: {self.total_kb:,.1f} KB retained in all, "
            f"{self.kb_per_100k_ticks:,.1f} KB per 100,000 ticks (Theil-Sen slope over {len(self.points)} checkpoints)"
        )


def measure_growth(repo: Path, policies: Path, out_dir: Path, spec: MemorySpec) -> MemoryResult | ReplayFailure:
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "memory.json"
    cmd = replay_command(
        policies, "memory", spec.ticks, warmup=spec.warmup_ticks, out=out, checkpoints=spec.checkpoints
    )
    failure = run_replay(repo, cmd, "memory", spec.timeout_s, out_dir)
    if failure is not None:
        return failure
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
        points = [(int(t), int(b)) for t, b in data["points"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DroidError(f"{out}: unreadable memory replay output ({exc.__class__.__name__})") from None
    return growth(points)


def growth(points: list[tuple[int, int]]) -> MemoryResult:
    slopes = [(b2 - b1) / (t2 - t1) for i, (t1, b1) in enumerate(points) for t2, b2 in points[i + 1 :] if t2 > t1]
    per_tick = statistics.median(slopes) if slopes else 0.0
    ticks = points[-1][0] if points else 0
    total = points[-1][1] if points else 0
    return MemoryResult(ticks, points, per_tick * PER / 1024, total / 1024)
