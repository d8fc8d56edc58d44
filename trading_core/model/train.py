"""A one-hidden-layer MLP (standardise -> dense+ReLU -> dense -> sigmoid) trained with numpy.

Full-batch Adam on the logistic loss with L2 on the weights; weights are drawn from a seeded
generator, so the same data and settings give the same weights on the same machine. No torch or
sklearn: the model is small enough that numpy trains it in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class MlpWeights:
    mean: np.ndarray  # [f]
    inv_std: np.ndarray  # [f]
    w1: np.ndarray  # [f, h]
    b1: np.ndarray  # [h]
    w2: np.ndarray  # [h, 1]
    b2: np.ndarray  # [1]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """P(up) for rows of x, [n, 1] (the reference the ONNX graph is checked against)."""
        import numpy as np

        z = np.maximum(((x - self.mean) * self.inv_std) @ self.w1 + self.b1, 0.0)
        return 1.0 / (1.0 + np.exp(-(z @ self.w2 + self.b2)))


def train_mlp(
    x: np.ndarray, y: np.ndarray, *, hidden: int, epochs: int, lr: float, l2: float, seed: int
) -> tuple[MlpWeights, list[float]]:
    """Fit; returns the weights and the loss per epoch."""
    import numpy as np

    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    inv_std = np.where(std > 0, 1.0 / np.where(std > 0, std, 1.0), 0.0)
    xs = (x - mean) * inv_std
    n, f = xs.shape
    params = [
        rng.normal(0.0, np.sqrt(2.0 / f), (f, hidden)),
        np.zeros(hidden),
        rng.normal(0.0, np.sqrt(1.0 / hidden), (hidden, 1)),
        np.zeros(1),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1_, b2_, eps = 0.9, 0.999, 1e-8
    target = y.reshape(-1, 1)
    losses = []
    for step in range(1, epochs + 1):
        w1, b1, w2, b2 = params
        pre = xs @ w1 + b1
        hid = np.maximum(pre, 0.0)
        logit = hid @ w2 + b2
        prob = 1.0 / (1.0 + np.exp(-logit))
        pc = np.clip(prob, 1e-12, 1 - 1e-12)
        losses.append(float(-np.mean(target * np.log(pc) + (1 - target) * np.log(1 - pc))))
        d_logit = (prob - target) / n
        d_hid = (d_logit @ w2.T) * (pre > 0)
        grads = [xs.T @ d_hid + l2 * w1, d_hid.sum(axis=0), hid.T @ d_logit + l2 * w2, d_logit.sum(axis=0)]
        for i, g in enumerate(grads):
            m[i] = b1_ * m[i] + (1 - b1_) * g
            v[i] = b2_ * v[i] + (1 - b2_) * g * g
            params[i] = params[i] - lr * (m[i] / (1 - b1_**step)) / (np.sqrt(v[i] / (1 - b2_**step)) + eps)
    w1, b1, w2, b2 = params
    return MlpWeights(mean, inv_std, w1, b1, w2, b2), losses
