"""The trained MLP as an ONNX graph built node by node with `onnx.helper` (build-time only).

X [batch, F] float32 -> Gemm(W1', b1') -> Relu -> Gemm(W2, b2) -> Sigmoid -> p_up [batch, 1]:
probabilities only (no ZipMap, no label output). The standardisation is folded into the first layer
(W1' = diag(1/std) W1, b1' = b1 - (mean / std) W1), so the graph has four nodes: each node is a
kernel dispatch, and on a one-row input the dispatches, not the arithmetic, are the cost. The
feature names and training settings go into the model's metadata, so the inference wrapper can
refuse a model built for other features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trading_core.model.train import MlpWeights

INPUT_NAME = "features"
OUTPUT_NAME = "p_up"
OPSET = 17
IR_VERSION = 8  # readable by every onnxruntime >= 1.10
PRODUCER = "trading_core.model.build"
META_FEATURES = "feature_names"


def to_onnx(weights: MlpWeights, feature_names: tuple[str, ...], metadata: dict[str, str]) -> bytes:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    f = len(feature_names)

    def const(name: str, value: np.ndarray) -> onnx.TensorProto:
        return numpy_helper.from_array(np.ascontiguousarray(value, dtype=np.float32), name)

    w1 = weights.inv_std[:, None] * weights.w1
    b1 = weights.b1 - (weights.mean * weights.inv_std) @ weights.w1
    inits = [const("w1", w1), const("b1", b1), const("w2", weights.w2), const("b2", weights.b2)]
    nodes = [
        helper.make_node("Gemm", [INPUT_NAME, "w1", "b1"], ["h_pre"]),
        helper.make_node("Relu", ["h_pre"], ["hidden"]),
        helper.make_node("Gemm", ["hidden", "w2", "b2"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], [OUTPUT_NAME]),
    ]
    graph = helper.make_graph(
        nodes,
        "scalper_mlp",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", f])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["batch", 1])],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        producer_name=PRODUCER,
        producer_version="1",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    helper.set_model_props(model, {META_FEATURES: ",".join(feature_names), **metadata})
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString(deterministic=True)
