"""APX010 soft drawdown warning: drawdown reached the policy's warning level.

The level is `drawdown.warn_at` of the allowed drawdown above the threshold (seed: 0.80 of 10 %, i.e.
8 % below the high-water mark). Nothing is broken yet; it is the moment to stop adding risk. Reported
once per episode (the first event at or below the level; again only after equity recovers above it).
"""

from __future__ import annotations

from typing import Any

from trading_core.apex.result import Violation
from trading_core.apex.rules import _levels
from trading_core.apex.rules.base import RuleInfo, Step

RULE = RuleInfo(
    id="APX010",
    severity="medium",
    title="Drawdown at the soft warning level",
    fix="Stop adding risk and tighten stops; the danger level and the threshold are close",
    doc=__doc__ or "",
)


def _level(dd: Any, hwm: Any, threshold: Any) -> Any:
    return dd.warn_level(hwm, threshold)


def _share(s: Any) -> Any:
    return s.policy.ruleset.drawdown.warn_at


def step(s: Step, memory: dict[str, Any]) -> list[Violation]:
    return _levels.step(RULE, "soft warning", _share(s.spec), _level, s, memory)


def scan(f: Any) -> list[Violation]:
    return _levels.scan(RULE, "soft warning", _share(f.spec), _level, f)


def carry(f: Any, found: list[Violation]) -> dict[str, Any]:
    return _levels.carry(RULE, _level, f)
