"""PERF004 Row-by-row pandas on the hot path: `iterrows`, `itertuples`, `apply`, `applymap`.

What it finds, in a hot function (see PERF001): calls of `.iterrows()`, `.itertuples()` and
`.applymap(...)`, and `.apply(...)` when the module imports pandas or polars or the call passes
`axis=` (elsewhere `.apply` is too common a method name to judge).

Why it matters: these run a Python function per row or build a Series per row; on a frame that
grows with the session the cost per tick grows with it. Severity medium.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Update the value incrementally from the new tick (O(1)), or use a vectorised column operation "
    "(df['a'] * df['b'], numpy) on a bounded window; move whole-frame work off the tick path."
)
RULE = RuleSpec(
    id="PERF004",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Row-by-row pandas on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"

_ALWAYS = frozenset({"iterrows", "itertuples", "applymap"})


def check(scope: FunctionScope) -> Iterator[Hit]:
    frames = scope.index.imports("pandas") or scope.index.imports("polars")
    for call, _site in scope.calls():
        f = call.func
        if not isinstance(f, ast.Attribute):
            continue
        if f.attr in _ALWAYS or (f.attr == "apply" and (frames or any(k.arg == "axis" for k in call.keywords))):
            yield scope.hit(RULE.id, call, f".{f.attr}() in {scope.where()} iterates row by row on every tick")
