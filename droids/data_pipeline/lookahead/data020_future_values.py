"""DATA020 Future values pulled back: `shift(-n)`, `np.roll(x, -n)`, backward fill, interpolation.

What it finds, in feature and strategy code (data.yaml `lookahead.paths`): `.shift(-n)` or
`.shift(periods=-n)` (pandas, polars), `np.roll(x, -n)`, `.bfill()` / `.backfill()`,
`fillna(method="bfill")`, `fill_null(strategy="backward")` and `.interpolate(...)`, each of which
puts a later bar's value on an earlier bar.
Why: a feature at bar t built from bar t + n is known only n bars later; the backtest trades on it
now and looks brilliant. Severity high. How to fix: use `shift(n)` with n >= 0, forward fill, or
compute the value when it becomes known; a label (target) may look ahead, but then it lives with the
labels, not in features (or mark the line `# droid: ignore[DATA020]` with the reason).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.lookahead.source import Hit, Source, arg, keyword, negative, text
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA020",
    droid=DROID,
    severity=Severity.HIGH,
    title="Future values pulled back",
    description=__doc__ or "",
    fix=(
        "Shift by n >= 0, forward fill, or compute the value when it becomes known; "
        "keep look-ahead labels out of features."
    ),
)


def check(src: Source) -> Iterator[Hit]:
    for call in src.calls():
        f = call.func
        name = src.qualified(f)
        if name in ("numpy.roll", "np.roll") and negative(arg(call, 1, "shift")):
            yield src.hit(RULE.id, call, "np.roll(x, -n) moves later values onto earlier bars (it also wraps around)")
        if not isinstance(f, ast.Attribute):
            continue
        if f.attr == "shift" and negative(arg(call, 0, "periods") or arg(call, 0, "n")):
            yield src.hit(RULE.id, call, f"{ast.unparse(call)} puts a later bar's value on the current bar")
        elif f.attr in ("bfill", "backfill"):
            yield src.hit(RULE.id, call, f".{f.attr}() fills a gap with the next known value, from the future")
        elif f.attr == "fillna" and text(keyword(call, "method")) in ("bfill", "backfill"):
            yield src.hit(
                RULE.id, call, "fillna(method='bfill') fills a gap with the next known value, from the future"
            )
        elif f.attr == "fill_null" and text(keyword(call, "strategy")) == "backward":
            yield src.hit(
                RULE.id, call, "fill_null(strategy='backward') fills with the next known value, from the future"
            )
        elif f.attr == "interpolate" and text(keyword(call, "method")) not in ("pad", "ffill"):
            yield src.hit(RULE.id, call, ".interpolate() fills a gap from the value after it, from the future")
