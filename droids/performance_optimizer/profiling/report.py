"""One profiling session: cProfile tables, an optional flame graph, an optional memory replay.

report = run_profile(repo, policies, out_dir, policy, flamegraph=True, memory=True)
report.findings      # PERF020 hotspots, PERF021 growth, PERF022 a failed replay
report.text()        # the tables and figures, for a terminal
report.files         # ontick.pstats, profile.txt, flame.svg, speedscope.json, memory.json
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from droids.core.models import Finding
from droids.performance_optimizer.policy import PerfPolicy
from droids.performance_optimizer.profiling import (
    flamegraph,
    perf020_hotspot,
    perf021_memory_growth,
    perf022_replay_failed,
)
from droids.performance_optimizer.profiling.cprofile_run import CProfileResult, profile_replay
from droids.performance_optimizer.profiling.launch import ReplayFailure
from droids.performance_optimizer.profiling.memory import MemoryResult, measure_growth


@dataclass
class ProfileReport:
    out_dir: Path
    cprofile: CProfileResult | ReplayFailure | None = None
    flame: flamegraph.FlameResult | None = None
    memory: MemoryResult | ReplayFailure | None = None
    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def notes(self) -> list[str]:
        notes = []
        if self.flame is not None and self.flame.why_not:
            notes.append(self.flame.why_not)
        return notes

    def text(self) -> str:
        parts = []
        if isinstance(self.cprofile, CProfileResult):
            parts.append(self.cprofile.text())
        if isinstance(self.memory, MemoryResult):
            parts.append(self.memory.text())
        parts += [f"{f.rule}: {f.message}" for f in self.findings if f.rule == perf022_replay_failed.RULE.id]
        parts += self.notes()
        if self.files:
            parts.append("Files: " + ", ".join(str(p) for p in self.files))
        return "\n".join(parts)

    def summary(self, top: int = 3) -> str:
        """A few lines for a chat answer: the top functions by own time, the memory rate."""
        lines = []
        if isinstance(self.cprofile, CProfileResult):
            tops = ", ".join(f"{r.name} {r.own_share:.0%}" for r in self.cprofile.by_own[:top])
            lines.append(f"Where OnTick's time goes (cProfile, {self.cprofile.ticks:,} ticks, own time): {tops}.")
        if isinstance(self.memory, MemoryResult):
            lines.append(f"Memory: {self.memory.text()}.")
        return "\n".join(lines + self.notes())

    def as_dict(self) -> dict[str, Any]:
        tables = {}
        if isinstance(self.cprofile, CProfileResult):
            tables = {
                "by_own": [asdict(r) for r in self.cprofile.by_own],
                "by_cumulative": [asdict(r) for r in self.cprofile.by_cumulative],
            }
        return {
            **self.metrics(),
            **tables,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "notes": self.notes(),
        }

    def metrics(self) -> dict[str, Any]:
        out: dict[str, Any] = {"out_dir": str(self.out_dir), "files": [str(p) for p in self.files]}
        if isinstance(self.cprofile, CProfileResult):
            out["ticks"] = self.cprofile.ticks
            out["top_own"] = [{"function": r.name, "share": round(r.own_share, 4)} for r in self.cprofile.by_own[:5]]
        if isinstance(self.memory, MemoryResult):
            out["memory_kb_per_100k_ticks"] = round(self.memory.kb_per_100k_ticks, 1)
            out["memory_ticks"] = self.memory.ticks
        return out


PIPELINE = "trading_core/engine/pipeline.py"


def pipeline_entry(repo: Path) -> tuple[str, int | None]:
    """Where replay-wide findings point: `def on_tick` of the replayed engine (SARIF needs a place)."""
    try:
        lines = (repo / PIPELINE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return PIPELINE, None
    return PIPELINE, next((i for i, line in enumerate(lines, 1) if line.strip().startswith("def on_tick(")), None)


def run_profile(
    repo: Path,
    policies: Path,
    out_dir: Path,
    policy: PerfPolicy,
    *,
    cprofile: bool = True,
    flame: bool = False,
    memory: bool = False,
    ticks: int | None = None,
    top: int | None = None,
) -> ProfileReport:
    spec = policy.profile
    n = ticks or spec.ticks
    report = ProfileReport(out_dir)
    place = pipeline_entry(repo)
    if cprofile:
        report.cprofile = profile_replay(
            repo, policies, out_dir, ticks=n, top=top or spec.top, timeout_s=spec.timeout_s
        )
        if isinstance(report.cprofile, ReplayFailure):
            report.findings += perf022_replay_failed.find(report.cprofile, place)
        else:
            report.findings += perf020_hotspot.find(report.cprofile, spec.hotspot_share, place)
            text = out_dir / "profile.txt"
            text.write_text(report.cprofile.text(), encoding="utf-8")
            report.files += [report.cprofile.pstats_file, text]
    if flame and not isinstance(report.cprofile, ReplayFailure):
        report.flame = flamegraph.record(repo, policies, out_dir, ticks=n, timeout_s=spec.timeout_s)
        report.files += report.flame.files
    if memory:
        report.memory = measure_growth(repo, policies, out_dir, policy.memory)
        if isinstance(report.memory, ReplayFailure):
            report.findings += perf022_replay_failed.find(report.memory, place)
        else:
            report.findings += perf021_memory_growth.find(report.memory, policy.memory.leak_kb_per_100k_ticks, place)
            report.files.append(out_dir / "memory.json")
    return report
