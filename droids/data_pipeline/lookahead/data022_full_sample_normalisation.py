"""DATA022 Normalised over the full sample: a series scaled by its own mean, std, min or max.

What it finds, in feature and strategy code: `(x - x.mean()) / x.std()`, `x / x.max()`,
`x - np.mean(x)` and the like (the same expression on both sides, no `.rolling`/`.expanding`/`.ewm`
in between), `scipy.stats.zscore(x)`, and `SomeScaler().fit_transform(x)` / `.fit(x)` of a
scikit-learn scaler.
Why: the mean and spread of the whole sample include every future bar; early bars are scaled with
knowledge of later ones (and a trend makes it dramatic). Severity high. How to fix: expanding or
rolling statistics (`x.expanding().mean()`), or fit the scaler on the training window only and apply
it forward.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.lookahead.source import Hit, Source
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA022",
    droid=DROID,
    severity=Severity.HIGH,
    title="Normalised over the full sample",
    description=__doc__ or "",
    fix="Use expanding or rolling statistics, or fit the scaler on the training window only and apply it forward.",
)
_STATS = {"mean", "std", "var", "max", "min", "median", "nanmean", "nanstd", "nanmax", "nanmin", "ptp"}
_WINDOWS = {"rolling", "expanding", "ewm", "rolling_mean", "rolling_std"}


def check(src: Source) -> Iterator[Hit]:
    for node in ast.walk(src.tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub | ast.Div):
            stat = _own_stat(src, node.left, node.right)
            if stat:
                yield src.hit(RULE.id, node, f"{ast.unparse(node)} scales a series by its own full-sample {stat}")
        elif isinstance(node, ast.Call):
            name = src.qualified(node.func)
            if name.endswith(".zscore") and name.startswith("scipy"):
                yield src.hit(RULE.id, node, "scipy.stats.zscore uses the mean and std of the whole sample")
            elif isinstance(node.func, ast.Attribute) and node.func.attr in ("fit_transform", "fit"):
                owner = node.func.value
                if isinstance(owner, ast.Call) and src.qualified(owner.func).endswith("Scaler"):
                    yield src.hit(
                        RULE.id, node, f"{ast.unparse(owner.func)}().{node.func.attr}() fits on the whole sample"
                    )


def _own_stat(src: Source, left: ast.expr, right: ast.expr) -> str | None:
    """The statistic when `right` is a whole-sample statistic of `left` (x.mean(), np.mean(x))."""
    target = ast.dump(_strip(left))
    for node in ast.walk(right):
        if not isinstance(node, ast.Call) or (node.keywords and any(k.arg in ("window",) for k in node.keywords)):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in _STATS and not node.args and ast.dump(f.value) == target:
            return f.attr
        name = src.qualified(f)
        stat = name.rsplit(".", 1)[-1]
        numpy_stat = name.startswith(("numpy.", "np.")) and stat in _STATS and bool(node.args)
        if numpy_stat and ast.dump(node.args[0]) == target and not _windowed(node.args[0]):
            return stat
    return None


def _strip(node: ast.expr) -> ast.expr:
    """`(x - x.mean())` as the left of `/ x.std()` names x."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        return node.left
    return node


def _windowed(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in _WINDOWS for n in ast.walk(node))
