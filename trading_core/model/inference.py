"""onnxruntime inference for the OnTick path: prepared once, validated inputs, no per-call allocation.

`OnnxScorer(path, feature_names)` opens the model with one intra-op thread and sequential execution,
checks that it takes float32 [batch, len(feature_names)], returns [batch, 1] and was built for these
feature names (model metadata), then preallocates the input buffer. Per tick:
- the engine writes the features into `scorer.buffer` (an array.array of float32 that shares memory
  with the bound numpy input, so there is no copy) and calls `score()`, which runs through an IO
  binding whose output is a preallocated cell;
- `predict(values)` copies a sequence in first (for callers that are not on the hot path);
- `predict_batch(x)` scores many rows (training checks, tests).
Every problem (missing, corrupt or mismatched file, wrong feature count, wrong dtype, NaN or infinite
feature) raises `TradingCoreError` with one line; onnxruntime is imported here, never at import time.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trading_core.errors import TradingCoreError
from trading_core.model.graph import META_FEATURES

if TYPE_CHECKING:
    import numpy as np

MODEL_DIR = Path(__file__).resolve().parent


def bundled_model_path(file: str = "scalper.onnx") -> Path:
    return MODEL_DIR / file


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else exc.__class__.__name__)[:200]


class OnnxScorer:
    def __init__(self, path: Path, feature_names: Sequence[str]) -> None:
        import numpy as np
        import onnxruntime as ort

        self.path = Path(path)
        self.feature_names = tuple(feature_names)
        n = len(self.feature_names)
        try:
            blob = self.path.read_bytes()
        except OSError as exc:
            raise TradingCoreError(f"{self.path}: cannot read the model ({exc.__class__.__name__})") from None
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3  # errors surface as TradingCoreError, not as log lines
        try:
            sess = ort.InferenceSession(blob, opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises several private exception types
            raise TradingCoreError(f"{self.path}: not a loadable ONNX model: {_first_line(exc)}") from None
        self._check_signature(sess, n)
        self.session = sess
        self.input_name = sess.get_inputs()[0].name
        self.output_names = [sess.get_outputs()[0].name]
        self.buffer = array("f", bytes(4 * n))
        self._x = np.frombuffer(self.buffer, dtype=np.float32).reshape(1, n)
        self._feed = {self.input_name: self._x}
        self._run = sess.run
        # IO binding: input and output stay bound to preallocated memory, so a call copies nothing and
        # allocates no output array (about 2x faster per call than session.run on this model).
        self._out = np.zeros((1, 1), dtype=np.float32)
        self._binding = sess.io_binding()
        self._binding.bind_cpu_input(self.input_name, self._x)
        self._binding.bind_output(self.output_names[0], "cpu", 0, np.float32, [1, 1], self._out.ctypes.data)
        self._out_cell = memoryview(self._out).cast("B").cast("f")
        # The public run_with_iobinding wraps the C call with per-call Python checks (about 1 us here);
        # call the C session directly when this onnxruntime exposes it, else the public wrapper.
        # RunOptions made once: without them onnxruntime builds default ones on every call, which cost
        # a quarter of the call (2.9 -> 2.2 us per call on the reference machine; the same computation).
        self._run_options = ort.RunOptions()
        native, native_binding = getattr(sess, "_sess", None), getattr(self._binding, "_iobinding", None)
        if native is not None and native_binding is not None and hasattr(native, "run_with_iobinding"):
            self._run_bound, self._bound_args = native.run_with_iobinding, (native_binding, self._run_options)
        else:
            self._run_bound, self._bound_args = sess.run_with_iobinding, (self._binding, self._run_options)

    def _check_signature(self, sess: Any, n: int) -> None:
        ins, outs = sess.get_inputs(), sess.get_outputs()
        if len(ins) != 1 or len(outs) != 1:
            raise TradingCoreError(f"{self.path}: expected 1 input and 1 output, got {len(ins)} and {len(outs)}")
        shape, kind = ins[0].shape, ins[0].type
        if kind != "tensor(float)" or len(shape) != 2 or shape[1] != n:
            raise TradingCoreError(
                f"{self.path}: input {ins[0].name} is {kind} {shape}; expected tensor(float) [batch, {n}]"
            )
        out_shape = outs[0].shape
        if outs[0].type != "tensor(float)" or len(out_shape) != 2 or out_shape[1] != 1:
            raise TradingCoreError(
                f"{self.path}: output is {outs[0].type} {out_shape}; expected tensor(float) [batch, 1]"
            )
        meta = sess.get_modelmeta().custom_metadata_map.get(META_FEATURES)
        if meta is not None and tuple(meta.split(",")) != self.feature_names:
            ours = ",".join(self.feature_names)
            raise TradingCoreError(f"{self.path}: model was built for features ({meta}); the engine computes ({ours})")

    def score(self) -> float:
        """P(up) for the features already in `buffer`."""
        total = sum(self.buffer)
        if total - total != 0.0:  # NaN or inf anywhere makes the sum non-finite
            bad = next(name for name, v in zip(self.feature_names, self.buffer, strict=True) if v - v != 0.0)
            raise TradingCoreError(f"feature vector: {bad} is not a finite number")
        self._run_bound(*self._bound_args)
        return self._out_cell[0]

    def predict(self, values: Sequence[float]) -> float:
        if len(values) != len(self.buffer):
            raise TradingCoreError(f"feature vector: expected {len(self.buffer)} values, got {len(values)}")
        self.buffer[:] = array("f", values)
        return self.score()

    def predict_batch(self, x: np.ndarray) -> np.ndarray:
        import numpy as np

        if not isinstance(x, np.ndarray) or x.dtype != np.float32:
            got = getattr(x, "dtype", type(x).__name__)
            raise TradingCoreError(f"feature batch: expected a float32 numpy array, got {got}")
        if x.ndim != 2 or x.shape[1] != len(self.buffer):
            raise TradingCoreError(f"feature batch: expected shape [n, {len(self.buffer)}], got {list(x.shape)}")
        if not np.isfinite(x).all():
            row = int(np.flatnonzero(~np.isfinite(x).all(axis=1))[0])
            raise TradingCoreError(f"feature batch: row {row} has a NaN or infinite value")
        return self._run(self.output_names, {self.input_name: x})[0][:, 0]
