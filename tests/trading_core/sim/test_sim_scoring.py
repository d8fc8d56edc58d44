"""The simulator's scores do not depend on how onnxruntime is called: the bound fast path (IO binding,
run options made once) and the public `InferenceSession.run` give the same journal, byte for byte."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.trading_core.data.conftest import POLICIES
from trading_core.features import FEATURE_NAMES
from trading_core.model.inference import OnnxScorer, bundled_model_path
from trading_core.sim.runner import run_simulation


class PublicRunScorer:
    """The bundled model scored with `session.run` on a fresh input array every tick."""

    def __init__(self) -> None:
        self.inner = OnnxScorer(bundled_model_path(), FEATURE_NAMES)
        self.buffer = self.inner.buffer
        self.calls = 0

    def score(self) -> float:
        self.calls += 1
        row = np.frombuffer(self.buffer, dtype=np.float32).reshape(1, -1).copy()
        return float(self.inner.predict_batch(row)[0])


def test_the_fast_scoring_path_changes_no_decision(tmp_path: Path) -> None:
    fast = run_simulation(POLICIES, days=1, seed=7, out_dir=tmp_path / "fast", check=False)
    public = PublicRunScorer()
    slow = run_simulation(POLICIES, days=1, seed=7, out_dir=tmp_path / "slow", check=False, scorer=public)
    assert slow.ticks == fast.ticks
    assert public.calls > 10_000 and fast.trades > 0  # the model ran on every tick after warm-up
    for name in ("journal.csv", "trades.csv", "risk_events.csv"):
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "slow" / name).read_bytes(), name
