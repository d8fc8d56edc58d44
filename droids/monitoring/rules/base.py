"""What every monitoring rule shares: the `Signal` a detector emits, the view of one chunk it reads,
and the hysteresis (Schmitt trigger) that turns per-event conditions into episodes, vectorised.

A detector reads a `View` (one chunk of the account from the trading core's ledger, the trades it
closed, the positions it opened, latency samples, and the journal clock) and emits `Signal`s: an
episode of its rule for one subject starts (`firing`) or ends (`resolved`). Deduplication, cooldown,
grouping and delivery are the alert layer's (droids.monitoring.alerts), the same for every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from droids.core.models import RuleSpec, Severity

if TYPE_CHECKING:
    import numpy as np

    from droids.monitoring.state.account import AccountChunk
    from droids.monitoring.state.trades import ClosedTrades, PositionSpan

DROID = "monitoring"


def rule(rule_id: str, severity: Severity, title: str, doc: str | None, fix: str) -> RuleSpec:
    return RuleSpec(id=rule_id, droid=DROID, severity=severity, title=title, description=doc or "", fix=fix)


@dataclass(frozen=True)
class Signal:
    rule: str
    subject: str  # what the episode is about: "account", a symbol, "on_tick", "win rate"
    firing: bool  # True: an episode starts; False: it ends
    ts_us: int  # journal time of the event that decided it
    position: int  # its event position in the journal (for ordering); -1 when none
    value: float
    limit: float
    message: str
    row: int | None = None
    instant: bool = False  # an event with no resolution (a latency spike)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class LatencySamples:
    ts_us: np.ndarray
    on_tick_us: np.ndarray


@dataclass(frozen=True)
class Degrade:
    """A `degrade` row of risk_events.csv: the trading core's own latency budget tripped."""

    ts_us: int
    reason: str


@dataclass(frozen=True)
class View:
    chunk: AccountChunk | None
    trades: ClosedTrades | None
    spans: PositionSpan | None
    clock_us: int  # journal time now (the last event's, or later while the journal is quiet)
    latency: LatencySamples | None = None
    degrades: tuple[Degrade, ...] = ()


def schmitt(enter: np.ndarray, leave: np.ndarray, inside_before: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """Episode edges of a condition with hysteresis: `enter` starts one (when outside), `leave` ends
    it (when inside; `enter` wins where both hold). Returns (positions, firing?, inside at the end)."""
    import numpy as np

    decisive = np.flatnonzero(enter | leave)
    if not decisive.size:
        return decisive, np.zeros(0, bool), inside_before
    state = enter[decisive]
    before = np.concatenate(([inside_before], state[:-1]))
    edges = state != before
    return decisive[edges], state[edges], bool(state[-1])


def money(units: float) -> str:
    """Money units (1/10,000) as dollars."""
    value = units / 10_000
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
