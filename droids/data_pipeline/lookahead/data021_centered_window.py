"""DATA021 Centered window: a rolling window or filter that reaches past the current bar.

What it finds, in feature and strategy code: `.rolling(..., center=True)`, `scipy.signal.filtfilt`
(forward-backward, zero-phase), `savgol_filter` (centred by construction) and
`np.convolve(..., mode="same")` (a kernel centred on each bar).
Why: a centred window of w bars at bar t averages bars up to t + w/2; the smoothing is beautiful in
a chart and impossible in real time. Severity high. How to fix: trailing windows only
(`rolling(w)`, `lfilter`, `np.convolve(x, k, mode="full")[:len(x)]`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.lookahead.source import Hit, Source, is_true, keyword, text
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA021",
    droid=DROID,
    severity=Severity.HIGH,
    title="Centered window",
    description=__doc__ or "",
    fix="Use trailing windows only: rolling(w) without center, lfilter, convolve mode='full' cut to len(x).",
)
_CENTRED = {
    "filtfilt": "filtfilt runs the filter forwards and backwards: each output uses later bars",
    "savgol_filter": "savgol_filter fits a window centred on each bar",
}


def check(src: Source) -> Iterator[Hit]:
    for call in src.calls():
        f = call.func
        name = src.qualified(f).rsplit(".", 1)[-1] if src.qualified(f) else ""
        if isinstance(f, ast.Attribute) and f.attr == "rolling" and is_true(keyword(call, "center")):
            yield src.hit(RULE.id, call, "rolling(..., center=True) averages bars after the current one")
        elif name in _CENTRED:
            yield src.hit(RULE.id, call, _CENTRED[name])
        elif name in ("convolve", "correlate") and text(keyword(call, "mode")) == "same":
            yield src.hit(RULE.id, call, f"{name}(..., mode='same') centres the kernel on each bar")
