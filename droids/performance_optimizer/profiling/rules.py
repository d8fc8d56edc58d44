"""The profiling rules, in id order (their modules hold the documentation and the logic)."""

from __future__ import annotations

from droids.performance_optimizer.profiling import perf020_hotspot, perf021_memory_growth, perf022_replay_failed

RULES = (perf020_hotspot.RULE, perf021_memory_growth.RULE, perf022_replay_failed.RULE)
