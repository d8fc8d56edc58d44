"""APX011 drawdown danger: drawdown reached the policy's danger level.

The level is `drawdown.danger_at` of the allowed drawdown (seed: 0.95 of 10 %, i.e. 9.5 % below
the high-water mark). ApexGuard flattens everything and halts here. Reported
once per episode (the first event at or below the level; again only after equity recovers above it).
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules import _levels
from trading_core.apex.rules.base import RuleInfo, Step

RULE = RuleInfo(
    id="APX011",
    severity="high",
    title="Drawdown at the danger level",
    fix="Flatten and stop trading for the day; one more adverse move breaches the threshold",
    doc=__doc__ or "",
)


def _level(dd: Any, hwm: Any, threshold: Any) -> Any:
    return dd.danger_level(hwm, threshold)


def _share(s: Any) -> Any:
    return s.policy.ruleset.drawdown.danger_at


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    return _levels.step(RULE, "danger", _share(s.spec), _level, s, memory)


def scan(f: Any) -> list[Violation]:
    return _levels.scan(RULE, "danger", _share(f.spec), _level, f)


def carry(f: Any, found: list[Violation]) -> dict[str, Any]:
    return _levels.carry(RULE, _level, f)
