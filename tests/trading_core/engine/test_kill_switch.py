"""The kill switch flattens everything, cancels everything and denies every entry afterwards."""

from __future__ import annotations

from tests.trading_core.engine.conftest import rig, ticks


def test_kill_flattens_and_halts() -> None:
    stream = ticks(seed=1)
    r = rig()
    k = 0
    while not r.engine.account.open_symbols():
        r.drive(stream[k : k + 50])
        k += 50
    assert r.engine.orders.working_orders()
    ts = stream[k - 1].ts_us
    r.engine.kill("monitoring droid: feed latency alarm", ts)
    r.venue.flush()
    assert not r.engine.account.open_symbols() and not r.engine.orders.brackets
    assert not r.engine.orders.working_orders()
    before = len(r.entries())
    r.drive(stream[k : k + 3000])
    assert len(r.entries()) == before  # nothing new, however strong the signal
    verdict = r.engine.sentinel.check_entry("ES", 1, stream[k].ts_us)
    assert not verdict.allowed and verdict.rule == "SEN001"  # type: ignore[union-attr]
    assert r.engine.log.count("kill", "SEN001") == 1
    assert str(r.engine.sentinel.state) == "HALTED"
