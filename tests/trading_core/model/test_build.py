"""`python -m trading_core.model.build` is reproducible: same policies, same bytes, same outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO_ROOT
from trading_core.features import FEATURE_NAMES
from trading_core.model.build import build_model
from trading_core.model.inference import OnnxScorer
from trading_core.model.train import train_mlp


@pytest.fixture
def small_policies(tmp_path: Path) -> Path:
    """The shipped policies with a training run small enough for a unit test."""
    out = tmp_path / "policies"
    shutil.copytree(REPO_ROOT / "policies", out)
    path = out / "strategy.yaml"
    text = path.read_text()
    for key, value in (("days", "1"), ("epochs", "40")):
        head, sep, tail = text.partition(f"    {key}: ")
        text = head + sep + value + tail[tail.index(" ") :]
    path.write_text(text)
    return out


def test_build_twice_gives_the_same_bytes(small_policies: Path, tmp_path: Path) -> None:
    a = build_model(small_policies, tmp_path / "a.onnx")
    b = build_model(small_policies, tmp_path / "b.onnx")
    assert a.sha256 == b.sha256
    assert (tmp_path / "a.onnx").read_bytes() == (tmp_path / "b.onnx").read_bytes()
    assert a.rows > 1000 and 0.5 < a.accuracy < 1.0
    s = OnnxScorer(tmp_path / "a.onnx", FEATURE_NAMES)
    meta = s.session.get_modelmeta().custom_metadata_map
    assert meta["feature_names"] == ",".join(FEATURE_NAMES) and '"epochs": 40' in meta["training"]


def test_training_depends_on_the_seed() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(float)
    w1, loss1 = train_mlp(x, y, hidden=4, epochs=50, lr=0.05, l2=0.0, seed=1)
    w2, _ = train_mlp(x, y, hidden=4, epochs=50, lr=0.05, l2=0.0, seed=1)
    w3, _ = train_mlp(x, y, hidden=4, epochs=50, lr=0.05, l2=0.0, seed=2)
    assert np.array_equal(w1.w1, w2.w1) and not np.array_equal(w1.w1, w3.w1)
    assert loss1[-1] < loss1[0]  # it learns


def test_build_cli_reports_bad_policy_in_one_line(small_policies: Path, tmp_path: Path) -> None:
    (small_policies / "strategy.yaml").write_text("version: 1\nsymbols: [ES]\n")
    argv = ["--policies", str(small_policies), "--out", str(tmp_path / "x.onnx")]
    cmd = [sys.executable, "-m", "trading_core.model.build", *argv]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "strategy.yaml" in proc.stderr
