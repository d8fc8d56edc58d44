"""The budget gate's rules, in id order (their modules hold the documentation and the logic)."""

from __future__ import annotations

from droids.performance_optimizer.budget import (
    perf010_over_budget,
    perf011_worst_case,
    perf012_regression,
    perf013_possible_regression,
    perf014_benchmark_failed,
    perf015_benchmark_hung,
)

RULES = (
    perf010_over_budget.RULE,
    perf011_worst_case.RULE,
    perf012_regression.RULE,
    perf013_possible_regression.RULE,
    perf014_benchmark_failed.RULE,
    perf015_benchmark_hung.RULE,
)
