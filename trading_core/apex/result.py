"""What `evaluate` (and `ApexGuard.result()`) return: violations and the account summary.

Field names follow the contract (CONTRACT.md, "Account journal"; docs/journal.md for what this
project adds): each violation carries `rule`, `severity`, `event_index`, `ts`, `value`, `limit`,
`trading_day`, `message`, `symbol`, `fix`; the summary is the report's `apex` object, with the payout
eligibility (`payout`). The violations listed may be bounded (the first N per rule); `counts` always
counts them all. Money in reports is a float of currency (the engine's exact integers divided once,
at the edge).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
class PayoutStatus:
    """Could a payout be requested after the last event? Consistency over the days since the last approved one.

    Information, not a violation: APX004 is judged only at a payout request (payout.py).
    """

    eligible: bool  # net profit since `since` and the consistency rule holds (or the rule set has none)
    reason: str  # one line saying why, with what is still needed
    since: str | None  # trading day of the last approved payout request; None: the start of the journal
    profit: float  # net profit since then
    best_day: str | None
    best_day_profit: float
    best_day_share: float | None  # best day / profit; None unless both are positive
    max_share: float | None  # the rule set's limit; None: no consistency rule
    inclusive: bool  # True: the best day must stay below max_share (4.0), else at most
    profit_needed: float | None  # more net profit needed with the best day unchanged (0 when eligible)
    days_needed: int | None  # ... at least this many more winning days, none above the best day
    requests: int  # payout requests in the journal
    approved: int  # of which consistency allowed

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
    payout: PayoutStatus | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    violations: tuple[Violation, ...]  # in processing order; with a bound, the first N of each rule
    summary: ApexSummary
    events: int
    counts: dict[str, int] = field(default_factory=dict)  # rule -> every violation, listed or not

    @property
    def passed(self) -> bool:
        """No violation at all (`droid apex check` exits 1 otherwise)."""
        return not self.violations and not any(self.counts.values())

    @property
    def truncated(self) -> bool:
        return sum(self.counts.values()) > len(self.violations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "violations": [v.to_dict() for v in self.violations],
            "apex": self.summary.to_dict(),
            "events": self.events,
            "counts": dict(self.counts),
        }
