"""What `evaluate` (and `ApexGuard.result()`) return: violations and the account summary.

Field names follow the contract (CONTRACT.md, "Account journal"): each violation carries `rule`,
`severity`, `event_index`, `ts`, `value`, `limit`, `trading_day`, `message`, `symbol`, `fix`; the
summary is the report's `apex` object. Money in reports is a float of currency (the engine's exact
integers divided once, at the edge).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # APX001..APX011
    severity: str  # critical | high | medium
    title: str
    event_index: int  # 0-based data row of the journal
    ts: str  # ISO-8601 UTC
    trading_day: str  # YYYY-MM-DD of the session the event falls in
    value: float
    limit: float
    message: str  # states value and limit
    symbol: str | None
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ApexSummary:
    ruleset: str
    account: str
    starting_balance: float
    final_equity: float
    peak_equity: float
    min_distance_to_threshold: float
    best_day: str | None
    best_day_share: float | None  # best day's profit / total profit; None when either is not positive
    total_profit: float
    trading_days: int  # trading days with at least one fill

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    violations: tuple[Violation, ...]
    summary: ApexSummary
    events: int

    @property
    def passed(self) -> bool:
        """No violation at all (`droid apex check` exits 1 otherwise)."""
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        return {
            "violations": [v.to_dict() for v in self.violations],
            "apex": self.summary.to_dict(),
            "events": self.events,
        }
