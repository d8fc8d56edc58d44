"""ApexGuard: check_order denies new risk with the rule and a reason; on_event flattens and halts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.trading_core.apex.conftest import policy
from trading_core.apex.guard import Allow, ApexGuard, Deny, GuardState, Order
from trading_core.apex.journal import make_event
from trading_core.apex.session import to_us


def _us(text: str) -> int:
    return to_us(dt.datetime.fromisoformat(text))


def _guard(*fills: tuple[str, str, int, str], ruleset: str = "seed", account: str = "50k") -> ApexGuard:
    guard = ApexGuard(policy(ruleset, account))
    for ts, symbol, qty, price in fills:
        kind = "mark" if qty == 0 else "fill"
        guard.on_event(
            make_event(guard.spec.policy.instruments, ts=ts, kind=kind, symbol=symbol, qty=qty, price=price, fee="0")
        )
    return guard


MORNING = "2026-03-10T10:00:00-04:00"


@pytest.mark.parametrize(
    ("case", "fills", "order", "rule"),
    [
        ("within the cap", [(MORNING, "ES", 9, "5000")], Order("ES", 1, _us("2026-03-10T10:01:00-04:00")), None),
        ("over the cap", [(MORNING, "ES", 9, "5000")], Order("MES", 11, _us("2026-03-10T10:01:00-04:00")), "APX005"),
        ("after the cutoff", [], Order("ES", 1, _us("2026-03-10T16:46:00-04:00")), "APX003"),
        ("evening session is a new day", [], Order("ES", 1, _us("2026-03-10T18:01:00-04:00")), None),
        ("hedge", [(MORNING, "NQ", 1, "20000")], Order("MNQ", -1, _us("2026-03-10T10:01:00-04:00")), "APX006"),
        ("not correlated", [(MORNING, "NQ", 1, "20000")], Order("ES", -1, _us("2026-03-10T10:01:00-04:00")), None),
        (
            "reducing after the cutoff",
            [(MORNING, "ES", 2, "5000")],
            Order("ES", -1, _us("2026-03-10T16:50:00-04:00")),
            None,
        ),
        (
            "flip after the cutoff",
            [(MORNING, "ES", 2, "5000")],
            Order("ES", -3, _us("2026-03-10T16:50:00-04:00")),
            "APX003",
        ),
    ],
)
def test_check_order(case: str, fills: list[tuple[str, str, int, str]], order: Order, rule: str | None) -> None:
    verdict = _guard(*fills).check_order(order)
    if rule is None:
        assert isinstance(verdict, Allow) and verdict.allowed
    else:
        assert isinstance(verdict, Deny) and not verdict.allowed
        assert verdict.rule == rule and verdict.reason


def test_danger_level_flattens_halts_and_denies_new_risk_but_not_exits() -> None:
    guard = _guard((MORNING, "ES", 10, "5000"))
    actions = guard.on_event(
        make_event(
            guard.spec.policy.instruments, ts="2026-03-10T10:01:00-04:00", kind="mark", symbol="ES", price="4990.50"
        )
    )
    assert [a.kind for a in actions] == ["warn", "cancel_all", "flatten_all", "halt"]
    assert guard.state is GuardState.HALTED
    later = _us("2026-03-10T10:02:00-04:00")
    denied = guard.check_order(Order("ES", 1, later))
    assert isinstance(denied, Deny) and denied.rule == "APX011"
    assert guard.check_order(Order("ES", -10, later)).allowed


def test_blown_account_stays_halted_across_sessions() -> None:
    guard = _guard((MORNING, "ES", 10, "5000"), ("2026-03-10T10:01:00-04:00", "ES", 0, "4990"))
    assert guard.monitor.blown and guard.state is GuardState.HALTED
    guard.on_event(
        make_event(
            guard.spec.policy.instruments,
            ts="2026-03-11T10:00:00-04:00",
            kind="fill",
            symbol="ES",
            qty=-10,
            price="4990",
            fee="0",
        )
    )
    denied = guard.check_order(Order("ES", 1, _us("2026-03-11T10:01:00-04:00")))
    assert isinstance(denied, Deny) and denied.rule == "APX001"


def test_cutoff_then_deadline_margin_then_next_session() -> None:
    guard = _guard((MORNING, "ES", 1, "5000"))
    inst = guard.spec.policy.instruments
    actions = guard.on_event(make_event(inst, ts="2026-03-10T16:46:00-04:00", kind="mark", symbol="ES", price="5001"))
    assert guard.state is GuardState.REDUCING and [a.kind for a in actions] == ["reduce_only"]
    actions = guard.on_event(make_event(inst, ts="2026-03-10T16:57:00-04:00", kind="mark", symbol="ES", price="5001"))
    assert guard.state is GuardState.HALTED  # 120 s before the 16:59 deadline
    assert [a.kind for a in actions] == ["cancel_all", "flatten_all", "halt"]
    guard.on_event(make_event(inst, ts="2026-03-10T16:58:00-04:00", kind="fill", symbol="ES", qty=-1, price="5001"))
    actions = guard.on_event(make_event(inst, ts="2026-03-10T18:05:00-04:00", kind="mark", symbol="ES", price="5001"))
    assert guard.state is GuardState.ACTIVE and actions[0].kind == "resume"
    assert guard.check_order(Order("ES", 1, _us("2026-03-10T18:06:00-04:00"))).allowed


def test_daily_loss_limit_halts_for_the_day() -> None:
    guard = _guard((MORNING, "ES", 2, "5000"), ruleset="apex-4.0")
    actions = guard.on_event(
        make_event(
            guard.spec.policy.instruments, ts="2026-03-10T10:05:00-04:00", kind="mark", symbol="ES", price="4990"
        )
    )
    assert guard.state is GuardState.HALTED and "flatten_all" in [a.kind for a in actions]
    denied = guard.check_order(Order("ES", 1, _us("2026-03-10T10:06:00-04:00")))
    assert isinstance(denied, Deny) and denied.rule == "APX007"
