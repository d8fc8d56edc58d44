"""MON001 Drawdown at the warning level: the trailing drawdown reached the Apex soft-warning level.

The level is policies/apex.yaml `drawdown.warn_at` of the allowed drawdown (seed: 80 % of the 10 %
allowance, i.e. 8 % below the high-water mark), computed by the trading core's engine with
unrealized P&L: the monitor fires on the same event where `droid apex check` reports APX010. Paged
once per episode (default channel: Slack); the episode ends when the drawdown is back
`drawdown.resolve_margin` below the level, with a resolution message.
"""

from __future__ import annotations

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules._levels import LevelDetector
from droids.monitoring.rules.base import rule

RULE = rule(
    "MON001",
    Severity.MEDIUM,
    "Drawdown at the warning level",
    __doc__,
    "Stop adding risk and tighten stops; the danger level (and the kill switch) is next.",
)


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> LevelDetector:
    return LevelDetector(RULE.id, "warning", warn_at, policy.drawdown.resolve_margin, "warn_cut")
