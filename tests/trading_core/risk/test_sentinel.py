"""SENTINEL's chain: every denial is a value with a rule and a reason, recorded as an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from tests.trading_core.engine.conftest import APEX, STRATEGY
from trading_core.apex.guard import ApexGuard, GuardState, Order
from trading_core.apex.session import SessionCalendar
from trading_core.engine.config import StrategyPolicy
from trading_core.execution.account import Account
from trading_core.market.money import to_units
from trading_core.risk.events import EventLog
from trading_core.risk.sentinel import Sentinel

NY = ZoneInfo("America/New_York")
ES_TICK_VALUE = 125_000  # $12.50 in money units


def at(hh: int, mm: int, ss: int = 0) -> int:
    return int(dt.datetime(2026, 3, 5, hh, mm, ss, tzinfo=NY).timestamp()) * 1_000_000


class Desk:
    def __init__(self, strategy: StrategyPolicy = STRATEGY, symbols: tuple[str, ...] = ("ES", "NQ")) -> None:
        self.account = Account(to_units(APEX.account.starting_balance), APEX.instruments, symbols)
        self.bad: dict[str, int] = dict.fromkeys(symbols, 0)
        self.log = EventLog()
        self.sentinel = Sentinel(
            ApexGuard(APEX), strategy, self.account, SessionCalendar(APEX.session), self.log, self.bad, 0.30
        )
        self.sentinel.on_tick(at(9, 30))

    def fill(self, ts: int, symbol: str, qty: int, price: int) -> list[str]:
        fee = abs(qty) * APEX.instruments.fee_units(symbol)
        self.account.on_fill(symbol, qty, price, fee)
        return self.sentinel.on_account_event("fill", ts, symbol, qty, price, fee)

    def mark(self, ts: int, symbol: str, bid: int) -> list[str]:
        self.account.mark(symbol, bid, bid + 1)
        actions = self.sentinel.on_account_event("mark", ts, symbol, 0, bid, 0)
        return actions + self.sentinel.on_tick(ts)


def kill(d: Desk) -> None:
    d.sentinel.kill("operator", at(10, 0))


def lose_for_the_day(d: Desk) -> None:
    d.fill(at(10, 0), "ES", 1, 20_000)
    assert d.mark(at(10, 1), "ES", 19_970) == ["cancel_all", "flatten_all"]  # -30 ticks = -$375 < -$250


def win_for_the_day(d: Desk) -> None:
    d.fill(at(10, 0), "ES", 1, 20_000)
    assert d.mark(at(10, 1), "ES", 20_040) == ["cancel_all", "flatten_all"]  # +$500 >= $450 cap


def bad_feed(d: Desk) -> None:
    d.bad["ES"] = STRATEGY.risk.max_rejected_ticks_in_row


def holding_three(d: Desk) -> None:
    d.fill(at(10, 0), "ES", 3, 20_000)


NOTHING: Callable[[Desk], None] = lambda d: None  # noqa: E731


@pytest.mark.parametrize(
    ("setup", "qty", "when", "degraded", "rule", "words"),
    [
        (kill, 1, at(10, 5), False, "SEN001", "kill switch engaged"),
        (lose_for_the_day, 1, at(10, 5), False, "SEN002", "SEN005"),
        (win_for_the_day, 1, at(10, 5), False, "SEN002", "SEN006"),
        (NOTHING, 1, at(10, 5), True, "SEN003", "latency degraded"),
        (bad_feed, 1, at(10, 5), False, "SEN009", "bad ticks in a row"),
        (NOTHING, 4, at(10, 5), False, "SEN004", "limit 3 per order"),
        (holding_three, 1, at(10, 5), False, "SEN004", "position would be 4"),
        (NOTHING, 1, at(16, 46), False, "APX003", "after the entry cutoff"),
        (NOTHING, -1, at(16, 50), False, "APX003", "after the entry cutoff"),
    ],
)
def test_denials(setup: Callable[[Desk], None], qty: int, when: int, degraded: bool, rule: str, words: str) -> None:
    d = Desk()
    setup(d)
    verdict = d.sentinel.check_entry("ES", qty, when, degraded)
    assert not verdict.allowed
    assert verdict.rule == rule and words in verdict.reason  # type: ignore[union-attr]
    denial = d.log.recent[-1]
    assert (denial.kind, denial.rule, denial.symbol) == ("deny", rule, "ES")


def test_allowed_entry_records_nothing() -> None:
    d = Desk()
    assert d.sentinel.check_entry("ES", 2, at(10, 5)).allowed
    assert not any(e.kind == "deny" for e in d.log.recent)


def test_getting_flat_is_never_blocked() -> None:
    d = Desk()
    lose_for_the_day(d)  # SENTINEL halted for the day with one contract still open
    assert d.sentinel.state is GuardState.HALTED
    assert d.sentinel.guard.check_order(Order("ES", -1, at(16, 50))).allowed  # after the cutoff, too


def test_apex_contract_cap_and_hedging_come_from_the_guard() -> None:
    big = STRATEGY.model_copy(
        update={
            "sizing": STRATEGY.sizing.model_copy(update={"max_contracts_per_order": 50, "max_position_contracts": 50})
        }
    )
    d = Desk(big, ("ES", "MES", "NQ"))
    v = d.sentinel.check_entry("NQ", 11, at(10, 5))
    assert not v.allowed and v.rule == "APX005"  # type: ignore[union-attr]
    d.fill(at(10, 6), "ES", 1, 20_000)
    v = d.sentinel.check_entry("MES", -1, at(10, 7))
    assert not v.allowed and v.rule == "APX006"  # type: ignore[union-attr]


def test_hard_drawdown_tier_flattens_and_soft_tier_cuts_size() -> None:
    d = Desk()
    allowance = d.sentinel.allowance
    assert allowance == 5000 * 10_000  # seed: 10 % of the $50,000 high-water mark
    d.fill(at(10, 0), "ES", 3, 20_000)
    soft_ticks = int(allowance * float(STRATEGY.risk.soft_drawdown_share)) // (3 * ES_TICK_VALUE) + 1
    d.sentinel.loss_limit = 10**12  # isolate the drawdown tiers from the daily loss limit
    assert d.mark(at(10, 1), "ES", 20_000 - soft_ticks) == []
    assert d.sentinel.tier_factor == float(STRATEGY.risk.soft_size_factor)
    hard_ticks = int(allowance * float(STRATEGY.risk.hard_drawdown_share)) // (3 * ES_TICK_VALUE) + 1
    assert d.mark(at(10, 2), "ES", 20_000 - hard_ticks) == ["cancel_all", "flatten_all"]
    assert d.sentinel.halt_rule == "SEN008"


def test_day_halt_lifts_at_the_next_session() -> None:
    d = Desk()
    lose_for_the_day(d)
    d.fill(at(10, 2), "ES", -1, 19_970)
    assert not d.sentinel.check_entry("ES", 1, at(11, 0)).allowed
    next_day = int(dt.datetime(2026, 3, 6, 9, 30, tzinfo=NY).timestamp()) * 1_000_000
    d.sentinel.on_tick(next_day)
    assert d.sentinel.check_entry("ES", 1, next_day).allowed
    assert any(e.kind == "resume" and e.rule == "SEN005" for e in d.log.recent)


@pytest.mark.parametrize(
    ("total", "best", "limit"),
    [
        (0, 0, 300),  # no winning day yet: the full limit
        (450, 450, 250),  # first day won: total 450 < 450 / 0.3 -> the floor
        (1800, 450, 300),  # cushion 1800 - 1500 = 300
        (1700, 450, 250),  # cushion 200 -> floor 250
        (5000, 450, 300),  # a big cushion never raises the limit past daily_loss_limit
    ],
)
def test_consistency_cushion(total: int, best: int, limit: int) -> None:
    d = Desk()
    assert d.sentinel.day_loss_limit(total * 10_000, best * 10_000) == limit * 10_000
