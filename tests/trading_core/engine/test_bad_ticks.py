"""Bad ticks are rejected and recorded and change nothing: the engine trades as on a clean feed."""

from __future__ import annotations

from tests.trading_core.engine.conftest import rig, ticks
from trading_core.data.faults import FAULTS, with_faults


def test_faulty_feed_trades_exactly_like_the_clean_one() -> None:
    stream = ticks(seed=3)[:12_000]
    clean, dirty = rig(), rig()
    clean.drive(stream)
    dirty.drive(with_faults(stream, 11))
    assert clean.events and clean.events == dirty.events  # same fills and marks, same prices, same times
    faults = len(stream) // 11
    assert dirty.engine.validator.rejected == faults
    assert set(dirty.engine.validator.counts) == set(FAULTS)
    rejects = [e for e in dirty.engine.log.recent if e.kind == "reject"]
    assert rejects and all(e.rule == "SEN009" for e in rejects)
    assert dirty.engine.log.count("reject") == faults


def test_a_run_of_bad_ticks_blocks_entries_on_that_symbol() -> None:
    stream = ticks(seed=3)[:400]
    r = rig()
    r.drive(stream)
    last = stream[-1]
    bad = last._replace(symbol="ES", bid=float("nan"))
    for _ in range(r.engine.strategy.risk.max_rejected_ticks_in_row):
        r.engine.on_tick(bad)
    verdict = r.engine.sentinel.check_entry("ES", 1, last.ts_us)
    assert not verdict.allowed and verdict.rule == "SEN009"  # type: ignore[union-attr]
    assert r.engine.sentinel.check_entry("NQ", 1, last.ts_us).allowed
