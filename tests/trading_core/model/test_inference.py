"""The ONNX scorer: the bundled model loads and agrees with numpy; bad models and bad inputs fail in one line."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from trading_core.errors import TradingCoreError
from trading_core.features import FEATURE_NAMES
from trading_core.model.graph import to_onnx
from trading_core.model.inference import OnnxScorer, bundled_model_path
from trading_core.model.train import MlpWeights


def weights(n_features: int, hidden: int = 4, seed: int = 0) -> MlpWeights:
    rng = np.random.default_rng(seed)
    return MlpWeights(
        mean=rng.normal(size=n_features),
        inv_std=rng.uniform(0.5, 2.0, n_features),
        w1=rng.normal(size=(n_features, hidden)),
        b1=rng.normal(size=hidden),
        w2=rng.normal(size=(hidden, 1)),
        b2=rng.normal(size=1),
    )


def write_model(path: Path, names: tuple[str, ...], seed: int = 0) -> MlpWeights:
    w = weights(len(names), seed=seed)
    path.write_bytes(to_onnx(w, names, {}))
    return w


def one_line_error(exc: pytest.ExceptionInfo[TradingCoreError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_bundled_model_scores_a_probability() -> None:
    path = bundled_model_path()
    assert 500 < path.stat().st_size < 8192  # a few KB, committed
    s = OnnxScorer(path, FEATURE_NAMES)
    p = s.predict([0.5, 0.1, 0.2, 0.3, 1.0, 1.0, 0.5, 0.2])
    assert 0.0 < p < 1.0
    assert s.input_name == "features" and s.output_names == ["p_up"]


def test_graph_equals_the_numpy_forward_pass(tmp_path: Path) -> None:
    path = tmp_path / "m.onnx"
    w = write_model(path, FEATURE_NAMES)
    s = OnnxScorer(path, FEATURE_NAMES)
    x = np.random.default_rng(1).normal(size=(200, len(FEATURE_NAMES))).astype(np.float32)
    np.testing.assert_allclose(s.predict_batch(x), w.predict(x.astype(np.float64))[:, 0], rtol=1e-4, atol=1e-5)
    for row in x[:20]:  # the single-row hot path (IO binding, shared buffer) gives the same numbers
        assert math.isclose(
            s.predict(row.tolist()), float(w.predict(row[None, :].astype(np.float64))[0, 0]), abs_tol=1e-5
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a loadable ONNX model"),
        (b"\x08\x07garbage that is not a protobuf", "not a loadable ONNX model"),
        (None, "cannot read the model"),
    ],
)
def test_corrupt_or_missing_model(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.onnx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TradingCoreError) as exc:
        OnnxScorer(path, FEATURE_NAMES)
    text = one_line_error(exc)
    assert message in text and str(path) in text


def test_truncated_model_is_refused(tmp_path: Path) -> None:
    blob = bundled_model_path().read_bytes()
    path = tmp_path / "cut.onnx"
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(TradingCoreError) as exc:
        OnnxScorer(path, FEATURE_NAMES)
    assert "not a loadable ONNX model" in one_line_error(exc)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (FEATURE_NAMES[:-1], "expected tensor(float) [batch, 8]"),
        ((*FEATURE_NAMES[:-1], "other"), "built for features"),
    ],
)
def test_mismatched_model(tmp_path: Path, names: tuple[str, ...], message: str) -> None:
    path = tmp_path / "m.onnx"
    write_model(path, names)
    with pytest.raises(TradingCoreError) as exc:
        OnnxScorer(path, FEATURE_NAMES)
    assert message in one_line_error(exc)


@pytest.fixture(scope="module")
def scorer() -> OnnxScorer:
    return OnnxScorer(bundled_model_path(), FEATURE_NAMES)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([0.0] * 7, "expected 8 values, got 7"),
        ([0.0] * 9, "expected 8 values, got 9"),
        ([0.0, float("nan"), 0, 0, 0, 0, 0, 0], "momentum is not a finite number"),
        ([0.0, 0, 0, 0, float("inf"), 0, 0, 0], "vol is not a finite number"),
    ],
)
def test_bad_feature_vector(scorer: OnnxScorer, values: list[float], message: str) -> None:
    with pytest.raises(TradingCoreError) as exc:
        scorer.predict(values)
    assert message in one_line_error(exc)


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        (np.zeros((3, 8), dtype=np.float64), "expected a float32 numpy array, got float64"),
        (np.zeros((3, 7), dtype=np.float32), "expected shape [n, 8], got [3, 7]"),
        (np.zeros(8, dtype=np.float32), "expected shape [n, 8], got [8]"),
        (np.array([[0.0] * 8, [np.nan] + [0.0] * 7], dtype=np.float32), "row 1 has a NaN"),
        ([[0.0] * 8], "expected a float32 numpy array, got list"),
    ],
)
def test_bad_feature_batch(scorer: OnnxScorer, batch: object, message: str) -> None:
    with pytest.raises(TradingCoreError) as exc:
        scorer.predict_batch(batch)  # type: ignore[arg-type]
    assert message in one_line_error(exc)
