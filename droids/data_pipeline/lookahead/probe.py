"""The truncation probe: run in a child process, inside the audited repository, by DATA025.

    python -P probe.py --repo REPO --pipeline trading_core.features.batch:batch_features ...

It imports the repository's feature pipeline (never the droid's own installed copy: the function's
file must lie inside REPO), feeds it a seeded synthetic tick series, and compares the features of
the whole series at sampled cut points t with the features computed on the series cut at t
(`x[: t + 1]`). A causal pipeline gives equal rows; a pipeline that looks ahead does not. Prints one
JSON object on stdout. Standard library and numpy only: it must not import the droid's packages
(the audited repository may have its own `droids` package).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import traceback
from pathlib import Path


def series(n: int, seed: int) -> dict[str, object]:
    import numpy as np

    rng = np.random.default_rng(seed)
    bid = 20_000 + np.cumsum(rng.integers(-2, 3, n))
    ask = bid + 1 + (rng.random(n) < 0.2)
    bid_size = rng.poisson(6, n)
    ask_size = rng.poisson(6, n)
    trade = rng.poisson(2, n) * rng.choice([-1, 0, 0, 1], n)
    mid = (bid + ask) / 2.0
    close = mid * 0.25
    return {
        "bid": bid,
        "ask": ask,
        "bid_size": bid_size,
        "ask_size": ask_size,
        "trade_qty": trade,
        "mid": mid,
        "price": close,
        "close": close,
        "open": np.concatenate(([close[0]], close[:-1])),
        "high": close + 0.25,
        "low": close - 0.25,
        "volume": np.abs(trade).astype(float),
        "x": close,
    }


def cut_points(n: int, samples: int, params: dict[str, float], seed: int) -> list[int]:
    import numpy as np

    rng = np.random.default_rng(seed + 1)
    points = set(rng.choice(np.arange(1, n - 1), size=min(samples, n - 2), replace=False).tolist())
    for p in [*params.values(), 128]:  # warm-up and block edges, where a pipeline's branches change
        points |= {int(p) - 1, int(p), int(p) + 1}
    return sorted(t for t in points if 0 <= t < n - 1)


def feature_names(module: object) -> list[str] | None:
    name = getattr(module, "__name__", "")
    while name:
        names = getattr(sys.modules.get(name), "FEATURE_NAMES", None)
        if names:
            return [str(x) for x in names]
        name = name.rpartition(".")[0]
    return None


def main(argv: list[str]) -> dict[str, object]:
    import numpy as np

    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--pipeline", required=True)
    ap.add_argument("--params", default="{}")
    ap.add_argument("--ticks", type=int, default=700)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--atol", type=float, default=1e-9)
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args(argv)
    repo = Path(a.repo).resolve()
    sys.path.insert(0, str(repo))
    params = json.loads(a.params)
    module_name, _, func_name = a.pipeline.partition(":")
    try:
        module = importlib.import_module(module_name)
        func = getattr(module, func_name)
    except Exception as exc:
        return {"status": "unavailable", "detail": f"cannot import {a.pipeline}: {exc.__class__.__name__}: {exc}"}
    source = Path(inspect.getfile(func)).resolve()
    if not source.is_relative_to(repo):
        return {"status": "unavailable", "detail": f"{a.pipeline} resolves to {source}, outside the repository"}
    data = series(a.ticks, a.seed)
    sig = inspect.signature(func)
    inputs, kwargs = [], {}
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty:
            if p.name not in data:
                return {
                    "status": "unavailable",
                    "detail": f"{a.pipeline}: no generated series for parameter {p.name!r}",
                }
            inputs.append(np.asarray(data[p.name]))
        elif p.name in params:
            kwargs[p.name] = params[p.name]
    ran = {
        "status": "ran",
        "file": str(source.relative_to(repo)),
        "ticks": a.ticks,
        "inputs": [p for p in sig.parameters][: len(inputs)],
    }
    try:
        full = np.asarray(func(*inputs, **kwargs), dtype=np.float64)
        points = cut_points(a.ticks, a.samples, {k: v for k, v in params.items() if isinstance(v, int | float)}, a.seed)
        mismatches, bad_points = [], 0
        for t in points:
            cut = np.asarray(func(*(x[: t + 1] for x in inputs), **kwargs), dtype=np.float64)
            row_full, row_cut = full[t].reshape(-1), cut[t].reshape(-1)
            same = np.isclose(row_full, row_cut, rtol=a.rtol, atol=a.atol, equal_nan=True)
            if not same.all():
                bad_points += 1
                for j in np.flatnonzero(~same)[:3].tolist():
                    if len(mismatches) < 20:
                        mismatches.append({"t": t, "column": j, "full": float(row_full[j]), "cut": float(row_cut[j])})
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(tb.filename).name}:{tb.lineno}"
        return {**ran, "status": "crashed", "detail": f"{exc.__class__.__name__}: {exc} ({where})"}
    return {
        **ran,
        "points": len(points),
        "bad_points": bad_points,
        "mismatches": mismatches,
        "features": feature_names(module),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
