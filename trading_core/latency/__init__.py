"""Latency instrumentation: fixed-size histograms per stage, the budgets and the degrade rule.

    from trading_core.latency.budgets import load_budgets
    from trading_core.latency.monitor import LatencyMonitor

Stages are timed with time.perf_counter_ns around them (the engine does it inline: a call per
timestamp is all it costs). Histograms never grow, so a replay of any length keeps memory flat.
"""

from __future__ import annotations
