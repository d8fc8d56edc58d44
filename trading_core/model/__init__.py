"""The scalping model: a small MLP classifier, trained with numpy, exported to ONNX, run by onnxruntime.

    python -m trading_core.model.build          # retrain from policies/ and rewrite scalper.onnx
    from trading_core.model.inference import OnnxScorer, bundled_model_path

The committed `scalper.onnx` (a few KB) maps the feature vector of trading_core.features (float32,
shape [batch, 8]) to P(mid higher `horizon_ticks` later), shape [batch, 1]. onnxruntime loads only
when a scorer is built.
"""

from __future__ import annotations
