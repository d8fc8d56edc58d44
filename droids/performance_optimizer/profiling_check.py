"""Profiling as a check (PERF020-PERF022): cProfile of an OnTick replay and the memory replay.

- audit: perf.yaml `audit.profile` (cProfile summary, cheap: seconds), `audit.memory` (a long
  tracemalloc replay) and `audit.flamegraph` (py-spy, off by default);
- ask: when the request asks for a profile ("where does on_tick spend its time?", "bottleneck",
  "flame graph": cProfile and py-spy) or about memory ("does it leak?": the memory replay);
- never in a gate: a profile explains, the budget gate decides.
Files go to .droid/perf/profile/<UTC time>/; `droid perf profile` writes them where it is told.
"""

from __future__ import annotations

from datetime import UTC, datetime

from droids.core import words
from droids.core.checks import CheckOutcome
from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.performance_optimizer.profiling.rules import RULES

__all__ = ["ASK_BY_DEFAULT", "INTENT", "RULES", "applies", "run"]

PROFILE_WORDS = (
    "profile", "profiler", "hotspot", "bottleneck", "flame", "flamegraph", "cprofile", "spy", "where",
)  # fmt: skip
MEMORY_WORDS = ("memory", "leak", "tracemalloc", "allocation", "ram", "heap")
INTENT = PROFILE_WORDS + MEMORY_WORDS
RUNS_REPOSITORY_CODE = "its trading core's OnTick pipeline, replayed"
ASK_BY_DEFAULT = False  # a replay under a profiler takes seconds: only when asked for


def _parts(task: Task) -> set[str]:
    if task.mode not in ("audit", "ask"):
        return set()
    from droids.performance_optimizer.policy import load_perf_policy

    policy, _ = load_perf_policy(task.policies)
    if task.mode == "audit":
        a = policy.audit
        return {name for name, on in (("profile", a.profile), ("memory", a.memory), ("flame", a.flamegraph)) if on}
    said = words.request_words(task.request)
    asked = {"profile"} if words.hits(said, PROFILE_WORDS) else set()
    asked |= {"memory"} if words.hits(said, MEMORY_WORDS) else set()
    return asked | ({"flame"} if "profile" in asked else set())


def needs(task: Task) -> str | None:
    """The replay runs the repository's trading core: none configured, nothing to profile."""
    from droids.core.governed import needs_core

    return needs_core(task)


def applies(task: Task) -> bool:
    return bool(_parts(task) & {"profile", "memory"})


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.core.governed import NOT_APPLICABLE
    from droids.core.settings import governed_core
    from droids.performance_optimizer.bench.store import perf_dir
    from droids.performance_optimizer.policy import load_perf_policy
    from droids.performance_optimizer.profiling.report import run_profile

    if governed_core(task.repo) is None:
        return CheckOutcome(notes=[f"PERF020-PERF022: {NOT_APPLICABLE}"])
    policy, _ = load_perf_policy(task.policies)
    parts = _parts(task)
    out_dir = perf_dir(ctx.state_dir) / "profile" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = run_profile(
        task.repo,
        task.policies,
        out_dir,
        policy,
        cprofile="profile" in parts,
        flame="flame" in parts,
        memory="memory" in parts,
    )
    answer = report.summary()
    if report.files:
        answer += f"\nProfile files: {out_dir}"
    return CheckOutcome(
        findings=report.findings, notes=report.notes(), metrics={"profile": report.metrics()}, answer=answer
    )
