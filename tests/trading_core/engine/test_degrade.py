"""A stage over its budget degrades the engine at run time: no model, no new entries, recorded."""

from __future__ import annotations

from array import array
from time import perf_counter_ns

from tests.trading_core.engine.conftest import BUDGETS, rig, ticks
from trading_core.features import N_FEATURES


class BusyScorer:
    """A real scorer stand-in whose inference burns CPU past the ONNX budget while `slow` is set."""

    def __init__(self, p: float, delay_ns: int) -> None:
        self.buffer = array("f", [0.0] * N_FEATURES)
        self.p, self.delay_ns, self.slow = p, delay_ns, True
        self.calls = 0

    def score(self) -> float:
        self.calls += 1
        if self.slow:
            end = perf_counter_ns() + self.delay_ns
            while perf_counter_ns() < end:
                pass
        return self.p


def test_slow_model_stage_degrades_then_recovers() -> None:
    scorer = BusyScorer(0.99, (BUDGETS.budgets.onnx_p99_us + 1000) * 1000)  # a strong signal on every call
    r = rig(scorer=scorer)
    stream = iter(ticks())
    while not r.engine.latency.degraded:
        r.drive([next(stream)])
    needed = BUDGETS.degrade.consecutive_overruns
    assert scorer.calls == needed
    degrade = [e for e in r.engine.log.recent if e.kind == "degrade"]
    assert len(degrade) == 1 and degrade[0].rule == "SEN003" and "over its" in degrade[0].reason
    entries_before = len(r.entries())
    until = r.engine.latency.degraded_until_us
    during = []
    for t in stream:
        if t.ts_us >= until:
            break
        during.append(t)
    r.drive(during)
    assert len(during) > 5
    assert scorer.calls == needed  # the model is skipped while degraded
    assert len(r.entries()) == entries_before  # and no new entry, however strong the signal
    verdict = r.engine.sentinel.check_entry("ES", 1, during[-1].ts_us, r.engine.latency.degraded)
    assert not verdict.allowed and verdict.rule == "SEN003"  # type: ignore[union-attr]
    scorer.slow = False
    r.drive([t for _, t in zip(range(400), stream, strict=False)])
    assert not r.engine.latency.degraded and scorer.calls > needed + 100
    assert r.engine.log.count("recover", "SEN003") == 1 and r.engine.log.count("degrade") == 1
