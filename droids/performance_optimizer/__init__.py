"""The performance-optimizer droid (see CARD.md): OnTick and ONNX latency budgets, profiling, hot-path rules."""

from __future__ import annotations

from droids.performance_optimizer.droid import PerformanceOptimizerDroid

__all__ = ["PerformanceOptimizerDroid"]
