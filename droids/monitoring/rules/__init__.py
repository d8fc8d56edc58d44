"""The monitoring rules MON001-MON009: one module each (its docstring is the rule's documentation),
each with `RULE` and `detector(policy, warn_at, danger_at)`."""

from __future__ import annotations

from droids.monitoring.rules import (
    mon001_drawdown_warning,
    mon002_drawdown_danger,
    mon003_equity_drop,
    mon004_stuck_position,
    mon005_latency_p99,
    mon006_win_rate_drop,
    mon007_drawdown_band,
    mon008_latency_spike,
    mon009_win_rate_drift,
)

MODULES = (
    mon001_drawdown_warning,
    mon002_drawdown_danger,
    mon003_equity_drop,
    mon004_stuck_position,
    mon005_latency_p99,
    mon006_win_rate_drop,
    mon007_drawdown_band,
    mon008_latency_spike,
    mon009_win_rate_drift,
)
RULES = tuple(m.RULE for m in MODULES)
BY_ID = {m.RULE.id: m.RULE for m in MODULES}
