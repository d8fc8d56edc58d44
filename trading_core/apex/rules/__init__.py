"""The Apex rules, one module each (APX001..APX011). `RULES` maps id -> RuleInfo (severity, title, fix, doc).

Each module has `step(s, memory)` (one event, used by ApexGuard) and `scan(frame)` (whole journal,
used by evaluate); APX004 (consistency) is decided once at the end (`consistency.finish`). Modules
import numpy only inside `scan`, so listing the rules stays light.
"""

from __future__ import annotations

from trading_core.apex.rules import (
    consistency,
    daily_loss,
    deadline,
    drawdown_danger,
    drawdown_warning,
    entry_cutoff,
    hedging,
    max_contracts,
    trailing_drawdown,
)
from trading_core.apex.rules.base import RuleInfo

# the rules checked on every event, in report order within one event
EVENT_RULES = (
    trailing_drawdown,
    deadline,
    entry_cutoff,
    max_contracts,
    hedging,
    daily_loss,
    drawdown_warning,
    drawdown_danger,
)
ALL_RULES = (*EVENT_RULES[:3], consistency, *EVENT_RULES[3:])
RULES: dict[str, RuleInfo] = {module.RULE.id: module.RULE for module in ALL_RULES}

__all__ = ["ALL_RULES", "EVENT_RULES", "RULES", "RuleInfo"]
