"""The vectorised evaluate on long journals: blocks, chunks, runs and overflow guards agree with the event monitor.

test_agreement.py checks short hypothesis journals; these are longer numpy-made journals walked in
small blocks and streamed in small chunks (so every running total and every rule's carry-over crosses
many edges), with rows reordered as `--sort` leaves them, journals whose sizes push the int64 guards
onto their slow path or into a refusal, and bounded listings.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from tests.trading_core.apex.conftest import chunked, policy
from trading_core.apex import runs, sweep
from trading_core.apex.evaluate import evaluate, evaluate_chunks
from trading_core.apex.journal import Event, Journal
from trading_core.apex.monitor import ApexMonitor
from trading_core.apex.result import ComplianceResult
from trading_core.apex.rules.base import iso_ts
from trading_core.apex.session import iso_utc
from trading_core.apex.spec import compile_spec
from trading_core.errors import TradingCoreError

ROOTS = ("ES", "MES", "NQ", "MNQ", "CL")
BASE_TICKS = (20_000, 20_000, 80_000, 80_000, 8_000)
GAPS_S = np.array([0, 1, 30, 300, 1800, 3600, 3 * 3600, 9 * 3600, 86_400])


def long_journal(seed: int, n: int, *, reorder_rows: bool) -> Journal:
    rng = np.random.default_rng(seed)
    ts = 1_772_805_600_000_000 + np.cumsum(rng.choice(GAPS_S, n)) * 1_000_000  # from 2026-03-06: DST and deadlines
    sym = rng.integers(0, len(ROOTS), n)
    sym[: len(ROOTS)] = np.arange(len(ROOTS))  # symbols in order of first appearance, as read
    is_fill = rng.random(n) < 0.5
    qty = np.where(is_fill, rng.choice(np.array([-6, -3, -1, 1, 2, 4]), n), 0)
    for code in range(len(ROOTS)):  # flatten now and then, so positions close and reopen
        mine = np.flatnonzero(sym == code)
        for k in np.flatnonzero(is_fill[mine] & (rng.random(mine.size) < 0.2)):
            held = qty[mine[:k]].sum()
            if held:
                qty[mine[k]] = -held
    price = np.empty(n, np.int64)
    for code, base in enumerate(BASE_TICKS):
        mine = np.flatnonzero(sym == code)
        price[mine] = np.maximum(1, base + np.cumsum(rng.integers(-40, 41, mine.size)))
    fee = np.where(is_fill, rng.integers(0, 30_000, n), 0)
    row = rng.permutation(n) if reorder_rows else np.arange(n)
    return Journal("<long>", ROOTS, ts, is_fill, sym, qty, price, fee, row)


def monitor_result(journal: Journal, ruleset: str, account: str = "50k") -> ComplianceResult:
    monitor = ApexMonitor(compile_spec(policy(ruleset, account)))
    for event in journal.events():
        monitor.step(event)
    return monitor.result()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "ruleset", "account", "block", "scan_runs", "reorder_rows"),
    [
        (1, "seed", "50k", 64, 512, False),
        (2, "seed", "25k", 7, 0, True),
        (3, "apex-3.0", "50k", 64, 512, True),
        (4, "apex-3.0", "300k", 1000, 0, False),
        (5, "apex-4.0", "50k", 64, 512, False),
        (6, "apex-4.0", "25k", 7, 0, True),
        (7, "seed", "100k", sweep.BLOCK, 512, False),
    ],
)
def test_long_journals_agree_with_the_monitor(
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    ruleset: str,
    account: str,
    block: int,
    scan_runs: int,
    reorder_rows: bool,
) -> None:
    monkeypatch.setattr(sweep, "BLOCK", block)
    monkeypatch.setattr(runs, "_SCAN_RUNS", scan_runs)  # 0: levels compared per event, not run by run
    journal = long_journal(seed, 3000, reorder_rows=reorder_rows)
    result = evaluate(journal, policy(ruleset, account))
    assert result == monitor_result(journal, ruleset, account)
    assert {v.rule for v in result.violations} >= {"APX002", "APX005", "APX006"}  # the journal exercises them


def _big_position_journal(position: int, events: int) -> Journal:
    """A huge position held while the price stands still, then one contract through a wide price range."""
    rows = [Event(0, 0, "fill", "ES", position, 1_000, 0)]
    rows += [Event(k, k, "mark", "ES", 0, 1_000, 0) for k in range(1, events)]
    rows.append(Event(events, events, "fill", "ES", -position, 1_000, 0))
    rows.append(Event(events + 1, events + 1, "fill", "ES", 1, 1_000_000, 0))
    rows.append(Event(events + 2, events + 2, "fill", "ES", -1, 1_000, 0))
    start = 1_773_151_200_000_000  # 2026-03-10T14:00:00Z
    return Journal.from_events(
        [Event(e.index, e.ts_us + start, e.kind, e.symbol, e.qty, e.price_ticks, 0) for e in rows]
    )


def test_sums_through_float_first_when_int64_sums_are_not_provably_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    # each change is bounded by 1e6 contracts x ~1e6 ticks x $12.50: fine alone, not 40 times over
    journal = _big_position_journal(1_000_000, 40)
    walked: list[bool] = []
    run = sweep.EquitySweep.run

    def spy(self: sweep.EquitySweep, *args: object, **kwargs: bool) -> sweep.EquitySweep:
        walked.append(kwargs.get("cumulate", True))
        return run(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep.EquitySweep, "run", spy)
    result = evaluate(journal, policy("seed"))
    assert walked == [True, False]  # the cheap proof failed, the float-checked path answered
    assert result == monitor_result(journal, "seed")


def test_a_zero_fill_does_not_hide_a_position_opened_after_the_deadline() -> None:
    # hand-built columns can hold a fill of 0 contracts; the deadline rule must look past it
    deadline = 1_773_176_340_000_000  # 2026-03-10T20:59:00Z, 16:59 New York (EDT)
    rows = [
        Event(0, deadline - 3_600_000_000, "fill", "ES", 1, 20_000, 0),
        Event(1, deadline - 1_800_000_000, "fill", "ES", -1, 20_000, 0),
        Event(2, deadline - 60_000_000, "fill", "ES", 0, 20_002, 0),
        Event(3, deadline + 60_000_000, "fill", "ES", 0, 20_002, 0),
        Event(4, deadline + 120_000_000, "fill", "ES", 2, 20_003, 0),
        Event(5, deadline + 180_000_000, "mark", "ES", 0, 20_004, 0),
    ]
    journal = Journal.from_events(rows)
    result = evaluate(journal, policy("seed"))
    assert result == monitor_result(journal, "seed")
    assert [(v.rule, v.event_index) for v in result.violations if v.rule != "APX004"] == [
        ("APX002", 4),
        ("APX003", 4),
    ]


def test_refuses_pnl_too_large_for_int64() -> None:
    with pytest.raises(TradingCoreError, match=r"^<events>: P&L too large for exact 64-bit arithmetic"):
        evaluate(_big_position_journal(10**9, 3), policy("seed"))


@pytest.mark.parametrize("seed", range(5))
def test_iso_ts_is_iso_utc(seed: int) -> None:
    rng = random.Random(seed)
    stamps = [rng.randrange(-(2**50), 2**52) for _ in range(2000)]
    stamps += [s - s % 1_000_000 for s in stamps[:200]] + [0, -1, 86_400_000_000]
    assert [iso_ts(s) for s in stamps] == [iso_utc(s) for s in stamps]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "ruleset", "size"), [(21, "seed", 97), (22, "apex-3.0", 500), (23, "apex-4.0", 64), (24, "seed", 1)]
)
def test_long_journals_streamed_in_chunks_equal_the_whole(seed: int, ruleset: str, size: int) -> None:
    journal = long_journal(seed, 3000, reorder_rows=False)
    whole = evaluate(journal, policy(ruleset))
    assert evaluate_chunks(chunked(journal, size), [compile_spec(policy(ruleset))]) == [whole]
    assert sum(whole.counts.values()) > 50  # every rule's carry-over is exercised at many chunk edges


def test_several_rule_sets_in_one_pass_equal_one_at_a_time() -> None:
    journal = long_journal(31, 3000, reorder_rows=False)
    pols = [policy(name) for name in ("seed", "apex-3.0", "apex-4.0")]
    together = evaluate_chunks(chunked(journal, 256), [compile_spec(p) for p in pols])
    assert together == [evaluate(journal, p) for p in pols]


@pytest.mark.parametrize("keep", [0, 1, 3])
def test_the_listing_is_bounded_per_rule_and_every_violation_counted(keep: int) -> None:
    journal = long_journal(41, 3000, reorder_rows=False)
    whole = evaluate(journal, policy("seed"))
    bounded = evaluate(journal, policy("seed"), keep=keep)
    seen: dict[str, int] = {}
    first = []
    for v in whole.violations:  # the first `keep` of each rule, in processing order
        seen[v.rule] = seen.get(v.rule, 0) + 1
        if seen[v.rule] <= keep:
            first.append(v)
    assert bounded.violations == tuple(first)
    assert bounded.counts == whole.counts == seen
    assert bounded.truncated and not bounded.passed and bounded.summary == whole.summary


def test_the_float_checked_path_also_carries_chunk_to_chunk() -> None:
    journal = _big_position_journal(1_000_000, 40)
    (got,) = evaluate_chunks(chunked(journal, 7), [compile_spec(policy("seed"))])
    assert got == monitor_result(journal, "seed")
