"""The simulator's journal passes the Apex engine: default days, several seeds, adversarial days."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from tests.trading_core.data.conftest import POLICIES
from tests.trading_core.engine.conftest import APEX, STRATEGY
from trading_core.apex import evaluate, read_journal
from trading_core.engine.config import StrategyPolicy
from trading_core.sim.runner import DayPlan, SimResult, run_simulation

# Every account rule is judged on every run, one day or five: consistency (APX004) decides a payout,
# and a simulated run requests none, so a short run's best-day share is information (`result.payout`).


def always_on(**entries: object) -> StrategyPolicy:
    """The shipped strategy without SENTINEL's day tiers, so it trades all day into the close."""
    risk = STRATEGY.risk.model_copy(
        update={"daily_loss_limit": Decimal(10**6), "min_daily_loss_limit": Decimal(10**6),
                "daily_profit_cap": Decimal(10**6)}
    )  # fmt: skip
    return STRATEGY.model_copy(update={"risk": risk, "entries": STRATEGY.entries.model_copy(update=entries)})


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def hard(result: SimResult) -> list[str]:
    return [f"{v.rule} {v.message}" for v in result.violations]


def day_profits(result: SimResult) -> dict[str, float]:
    last: dict[str, float] = {}
    for r in rows(result.equity):
        last[r["ts"][:10]] = float(r["equity"])
    out, prev = {}, result.start_equity
    for day, eq in last.items():
        out[day], prev = eq - prev, eq
    return out


@pytest.mark.slow
def test_default_run_passes_every_rule(tmp_path: Path) -> None:
    r = run_simulation(POLICIES, days=5, seed=7, out_dir=tmp_path)
    assert r.checked and r.passed, [v.message for v in r.violations]
    assert r.trades > 20 and r.ticks > 100_000 and r.marks > 0
    with r.journal.open() as f:
        assert f.readline().strip() == "ts,kind,symbol,qty,price,fee"
    journal = rows(r.journal)
    assert {row["kind"] for row in journal} == {"fill", "mark"}
    assert all(dt.datetime.fromisoformat(row["ts"]).utcoffset() is not None for row in journal)
    # the file re-read by the Apex engine, as `droid apex check` would, finds nothing either
    assert evaluate(read_journal(r.journal, instruments=APEX.instruments), APEX).passed


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_never_break_a_hard_rule(tmp_path: Path, seed: int) -> None:
    r = run_simulation(POLICIES, days=5, seed=seed, out_dir=tmp_path)
    assert r.checked and not hard(r)


@pytest.mark.slow
def test_late_session_crash_every_day_keeps_the_hard_rules(tmp_path: Path) -> None:
    r = run_simulation(POLICIES, days=5, seed=7, out_dir=tmp_path, plans=[DayPlan(crash=True)] * 5)
    assert not hard(r)
    halts = [e["rule"] for e in rows(r.risk_events) if e["kind"] == "halt"]
    assert len(halts) == 5 and set(halts) <= {"SEN005", "SEN006"}  # every day ended by a SENTINEL tier


def test_trading_through_a_late_crash_keeps_the_hard_rules(tmp_path: Path) -> None:
    r = run_simulation(POLICIES, days=1, seed=5, out_dir=tmp_path, strategy=always_on(), plans=[DayPlan(crash=True)])
    assert not hard(r)
    fills = [row for row in rows(r.journal) if row["kind"] == "fill"]
    late = [row for row in fills if row["ts"][11:16] >= "15:30"]
    assert late, "the engine should still be trading when the crash window opens"
    net: dict[str, int] = defaultdict(int)
    for row in fills:
        net[row["symbol"]] += int(row["qty"])
    assert all(q == 0 for q in net.values())  # flat at the end of the day
    assert fills[-1]["ts"][11:16] < "16:50"  # the time stop flattened before the deadline


@pytest.mark.slow
def test_runaway_day_is_capped_and_consistency_holds(tmp_path: Path) -> None:
    plans = [DayPlan(runaway=True), DayPlan(), DayPlan(), DayPlan(), DayPlan()]
    r = run_simulation(POLICIES, days=5, seed=7, out_dir=tmp_path, plans=plans)
    assert r.passed, [v.message for v in r.violations]
    cap = float(STRATEGY.risk.daily_profit_cap)
    first_day = next(iter(day_profits(r).values()))
    assert 0.9 * cap <= first_day < 1.25 * cap  # flattened at the cap (less the exit fees): no runaway
    events = rows(r.risk_events)
    assert events[0]["kind"] == "halt" and events[0]["rule"] == "SEN006"
    uncapped = run_simulation(POLICIES, days=1, seed=7, out_dir=tmp_path / "u", strategy=always_on(),
                              plans=plans[:1], check=False)  # fmt: skip
    assert uncapped.final_equity - uncapped.start_equity > 3 * cap  # what the day would have made


def test_limit_entries_with_partial_fills(tmp_path: Path) -> None:
    sizing = STRATEGY.sizing.model_copy(update={"max_risk_per_trade": Decimal(400)})  # 3-lot entries
    strategy = always_on(order="limit").model_copy(update={"sizing": sizing})
    r = run_simulation(POLICIES, days=1, seed=7, out_dir=tmp_path, strategy=strategy)
    assert not hard(r)
    position: dict[str, int] = defaultdict(int)
    added_to = 0  # fills that add to an open position: the second and later parts of a partial entry
    for row in rows(r.journal):
        if row["kind"] != "fill":
            continue
        q, held = int(row["qty"]), position[row["symbol"]]
        if held and (held > 0) == (q > 0):
            added_to += 1
        assert abs(held + q) <= strategy.sizing.max_position_contracts
        position[row["symbol"]] = held + q
    assert added_to > 0
    assert all(q == 0 for q in position.values())
    assert any(int(t["contracts"]) > 1 for t in rows(r.trades_file))
