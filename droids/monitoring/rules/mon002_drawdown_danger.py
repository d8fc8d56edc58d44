"""MON002 Drawdown at the danger level: the trailing drawdown reached the Apex danger level.

The level is policies/apex.yaml `drawdown.danger_at` of the allowed drawdown (seed: 95 %, i.e. 9.5 %
below the high-water mark), the event where `droid apex check` reports APX011. Paged by email and
Slack by default, and it trips the circuit breaker: the monitor calls the trading core's kill switch
(SENTINEL, flatten all, cancel all, no new entries) and writes the event to the audit trail.
"""

from __future__ import annotations

from droids.core.models import Severity
from droids.monitoring.policy import MonitoringPolicy
from droids.monitoring.rules._levels import LevelDetector
from droids.monitoring.rules.base import rule

RULE = rule(
    "MON002",
    Severity.HIGH,
    "Drawdown at the danger level",
    __doc__,
    "Flat and stopped: find out why before the next session; one more adverse move breaches the threshold.",
)


def detector(policy: MonitoringPolicy, warn_at: float, danger_at: float) -> LevelDetector:
    return LevelDetector(RULE.id, "danger", danger_at, policy.drawdown.resolve_margin, "danger_cut")
