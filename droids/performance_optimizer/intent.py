"""What a chat request (`droid ask`) wants from this droid: the budget check, a profile, memory.

Deterministic word matching, like the orchestrator's routing: the static rules always run (they
take under a second); the budget check runs unless the request asks only for a profile or only
about memory; profiling and the memory replay run only when asked for.
"""

from __future__ import annotations

import re

PROFILE_WORDS = frozenset(
    {"profile", "profiling", "profiler", "hotspot", "bottleneck", "flame", "flamegraph", "cprofile", "spy", "where"}
)
MEMORY_WORDS = frozenset({"memory", "leak", "leaking", "tracemalloc", "allocation", "ram", "heap"})
BUDGET_WORDS = frozenset(
    {
        "fast",
        "slow",
        "slower",
        "faster",
        "budget",
        "latency",
        "p99",
        "p50",
        "speed",
        "regression",
        "benchmark",
        "tick",
        "ontick",
        "onnx",
        "performance",
        "quick",
        "time",
        "timing",
        "enough",
        "ms",
        "us",
    }
)


def words(request: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", request).replace("_", " ").lower()
    return {
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in re.findall(r"[a-z0-9]+", spaced)
    }


def wanted(request: str) -> set[str]:
    """A subset of {"budget", "profile", "memory"}."""
    w = words(request)
    out = set()
    if w & PROFILE_WORDS:
        out.add("profile")
    if w & MEMORY_WORDS:
        out.add("memory")
    if w & BUDGET_WORDS or not out:
        out.add("budget")
    return out
