"""The Apex rules, one module each, named by rule id. `RULES` maps id -> RuleInfo (severity, title, fix, doc).

Each event rule has `step(s, memory)` (one event, used by ApexGuard) and `scan(frame)` (a journal or
one chunk of it, used by evaluate; `carry(frame, found)` hands a later chunk what the rule must
remember). APX004 (consistency) is judged at payout requests (payout.py builds its violation from
`apx004_consistency.violation`). Modules import numpy only inside `scan`, so listing the rules stays light.
"""

from __future__ import annotations

from trading_core.apex.rules import (
    apx001_trailing_drawdown,
    apx002_deadline,
    apx003_entry_cutoff,
    apx004_consistency,
    apx005_max_contracts,
    apx006_hedging,
    apx007_daily_loss,
    apx010_drawdown_warning,
    apx011_drawdown_danger,
)
from trading_core.apex.rules.base import RuleInfo

# the rules checked on every event, in report order within one event
EVENT_RULES = (
    apx001_trailing_drawdown,
    apx002_deadline,
    apx003_entry_cutoff,
    apx005_max_contracts,
    apx006_hedging,
    apx007_daily_loss,
    apx010_drawdown_warning,
    apx011_drawdown_danger,
)
ALL_RULES = (*EVENT_RULES[:3], apx004_consistency, *EVENT_RULES[3:])
RULES: dict[str, RuleInfo] = {module.RULE.id: module.RULE for module in ALL_RULES}

__all__ = ["ALL_RULES", "EVENT_RULES", "RULES", "RuleInfo"]
