"""Per-tick features, incremental and O(1) per tick, with a batch twin that recomputes them from scratch.

    from trading_core.features import FEATURE_NAMES, SymbolFeatures

`SymbolFeatures.update(tick)` folds one validated tick into the state and writes the feature vector
(`FEATURE_NAMES` order) into a caller-owned buffer; `batch.batch_features` computes the same values
for a whole series with numpy (training data, and the test that the two agree).
"""

from __future__ import annotations

from trading_core.features.vector import FEATURE_NAMES, N_FEATURES, SymbolFeatures

__all__ = ["FEATURE_NAMES", "N_FEATURES", "SymbolFeatures"]
