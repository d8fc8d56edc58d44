"""Rebuild the bundled model: `python -m trading_core.model.build [--policies DIR] [--out FILE]`.

Generates the training days (policies/sim.yaml generator, strategy.yaml model.training), computes
the batch features, trains the MLP with numpy (seeded), exports it with onnx.helper and writes it
(default: trading_core/model/scalper.onnx). The same policies give the same bytes on the same
machine; the run prints the file's sha256, row count, final loss and accuracy. Needs the `onnx`
package (a build-time dependency; the engine itself only needs onnxruntime).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from trading_core.errors import TradingCoreError
from trading_core.features import FEATURE_NAMES
from trading_core.policy import policy_path

MODEL_DIR = Path(__file__).resolve().parent
DEFAULT_POLICIES = MODEL_DIR.parents[1] / "policies"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    sha256: str
    rows: int
    loss: float
    accuracy: float
    size_bytes: int


def build_model(policies_dir: Path, out: Path | None = None) -> BuildResult:
    import numpy as np

    from trading_core.apex.policy import load_apex_file
    from trading_core.engine.config import load_strategy
    from trading_core.market.instruments import load_instruments
    from trading_core.model.dataset import training_rows
    from trading_core.model.graph import to_onnx
    from trading_core.model.train import train_mlp
    from trading_core.sim.config import load_sim_policy

    instruments = load_instruments(policy_path(policies_dir, "instruments.yaml"))
    strategy = load_strategy(policies_dir, instruments)
    sim = load_sim_policy(policies_dir, instruments)
    timezone = load_apex_file(policies_dir).session.timezone
    tick_sizes = {root: float(instruments[root].tick_size) for root in instruments.roots}
    tr = strategy.model.training
    x, y = training_rows(strategy, sim.generator, tick_sizes, timezone)
    weights, losses = train_mlp(
        x, y, hidden=tr.hidden_units, epochs=tr.epochs, lr=float(tr.learning_rate), l2=float(tr.l2), seed=tr.seed
    )
    accuracy = float(np.mean((weights.predict(x)[:, 0] > 0.5) == (y > 0.5)))
    meta = {"training": json.dumps(tr.model_dump(mode="json"), sort_keys=True), "rows": str(len(y))}
    blob = to_onnx(weights, FEATURE_NAMES, meta)
    path = Path(out) if out is not None else MODEL_DIR / strategy.model.file
    path.write_bytes(blob)
    digest = hashlib.sha256(blob).hexdigest()
    return BuildResult(path, digest, len(y), losses[-1], accuracy, len(blob))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trading_core.model.build", description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=Path, default=DEFAULT_POLICIES, help="policies directory")
    parser.add_argument("--out", type=Path, default=None, help="where to write the .onnx file")
    args = parser.parse_args(argv)
    try:
        r = build_model(args.policies, args.out)
    except TradingCoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {r.path} ({r.size_bytes} bytes) sha256={r.sha256}")
    print(f"rows={r.rows} final_loss={r.loss:.5f} train_accuracy={r.accuracy:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
