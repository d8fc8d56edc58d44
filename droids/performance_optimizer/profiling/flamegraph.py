"""py-spy flame graph (SVG) and speedscope profile (JSON) of an OnTick replay, when py-spy can run.

py-spy samples the replay process from outside (no instrumentation: the timings are the real ones,
unlike cProfile's), which needs the `py-spy` executable and permission to read another process's
memory (ptrace: blocked in many containers without CAP_SYS_PTRACE, or by kernel.yama.ptrace_scope).
When it cannot run, the result says why; the cProfile tables are always there. py-spy samples the
whole replay process, start-up and tick generation included: OnTick is the part under `replay`.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from droids.performance_optimizer.profiling.launch import replay_command, run_replay

_PTRACE_WORDS = ("permission denied", "operation not permitted", "ptrace", "cap_sys_ptrace", "root")
RATE_HZ = 250


@dataclass(frozen=True)
class FlameResult:
    files: list[Path] = field(default_factory=list)  # flame.svg, speedscope.json
    why_not: str | None = None  # set when no flame graph could be recorded


def find_py_spy() -> str | None:
    """`py-spy` on PATH, or next to the running interpreter (a virtualenv's bin/)."""
    beside = Path(sys.executable).with_name("py-spy")
    return shutil.which("py-spy") or (str(beside) if beside.is_file() else None)


def record(repo: Path, policies: Path, out_dir: Path, *, ticks: int, timeout_s: float) -> FlameResult:
    spy = find_py_spy()
    if spy is None:
        return FlameResult(why_not="py-spy is not installed (pip install py-spy); cProfile tables only")
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for fmt, name in (("flamegraph", "flame.svg"), ("speedscope", "speedscope.json")):
        target = out_dir / name
        replay = replay_command(policies, "plain", ticks, warmup=min(ticks, 2000), out=None)
        cmd = [spy, "record", "--rate", str(RATE_HZ), "--format", fmt, "--output", str(target), "--", *replay]
        failure = run_replay(repo, cmd, f"py-spy {fmt}", timeout_s, out_dir)
        if failure is not None or not target.is_file():
            detail = failure.detail if failure else "py-spy wrote no output"
            return FlameResult(files, why_not=_why(detail))
        files.append(target)
    return FlameResult(files)


def _why(detail: str) -> str:
    if any(word in detail.lower() for word in _PTRACE_WORDS):
        return (
            f"py-spy cannot attach to the replay: ptrace is not permitted here ({detail}); run with "
            "CAP_SYS_PTRACE (docker --cap-add SYS_PTRACE) or kernel.yama.ptrace_scope=0; cProfile tables only"
        )
    return f"py-spy failed ({detail}); cProfile tables only"
