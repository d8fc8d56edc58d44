"""Fixtures for the Apex engine tests: the shipped policies (loaded once per preset), journals cut into
chunks, and the event monitor's result as the reference `evaluate` must equal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from trading_core.apex.journal import Journal, Payout
from trading_core.apex.monitor import ApexMonitor
from trading_core.apex.policy import ApexPolicy, load_apex_policy
from trading_core.apex.result import ComplianceResult
from trading_core.apex.spec import compile_spec

POLICIES = REPO_ROOT / "policies"
JOURNALS = REPO_ROOT / "tests" / "fixtures" / "journals"


@pytest.fixture(scope="session")
def policies_dir() -> Path:
    return POLICIES


def policy(ruleset: str = "seed", account: str = "50k") -> ApexPolicy:
    return _cached(ruleset, account)


_CACHE: dict[tuple[str, str], ApexPolicy] = {}


def _cached(ruleset: str, account: str) -> ApexPolicy:
    key = (ruleset, account)
    if key not in _CACHE:
        _CACHE[key] = load_apex_policy(POLICIES, ruleset=ruleset, account=account)
    return _CACHE[key]


def chunked(journal: Journal, size: int) -> list[Journal]:
    """The journal cut into chunks of `size` events, as journal_chunks hands them out (payout requests
    go with the chunk of the event before them; `before` counts that chunk's events)."""
    out = []
    for start in range(0, len(journal), size):
        end = min(len(journal), start + size)
        last = end >= len(journal)
        mine = tuple(
            Payout(p.index, p.ts_us, p.before - start)
            for p in journal.payouts
            if (start == 0 or p.before > start) and (p.before <= end if not last else True)
        )
        cols = [
            getattr(journal, c)[start:end]
            for c in ("ts_us", "is_fill", "sym", "qty", "price_ticks", "fee_units", "row")
        ]
        out.append(Journal(journal.source, journal.symbols, *cols, payouts=mine))
    return out


def with_payouts(journal: Journal, payouts: list[Payout]) -> Journal:
    return Journal(
        journal.source, journal.symbols, journal.ts_us, journal.is_fill, journal.sym, journal.qty,
        journal.price_ticks, journal.fee_units, journal.row, payouts=tuple(payouts),
    )  # fmt: skip


def monitor_result(journal: Journal, pol: ApexPolicy, *, payout_at_end: bool = False) -> ComplianceResult:
    """The event-by-event face over the journal, payout requests interleaved where they were made."""
    monitor = ApexMonitor(compile_spec(pol), payout_at_end=payout_at_end)
    payouts = sorted(journal.payouts, key=lambda p: p.before)
    for position, event in enumerate(journal.events()):
        while payouts and payouts[0].before <= position:
            monitor.request_payout(payouts.pop(0))
        monitor.step(event)
    for p in payouts:
        monitor.request_payout(p)
    return monitor.result()
