"""PERF003 DataFrame built on the hot path: pandas or polars construction per tick.

What it finds, in a hot function (see PERF001): `pandas.DataFrame(...)`, `pandas.Series(...)`,
`pandas.concat`, `pandas.merge`, `pandas.json_normalize`, `DataFrame.from_dict/from_records`,
`pandas.read_*(...)`, and the polars equivalents (`polars.DataFrame`, `polars.Series`,
`polars.concat`, `polars.read_*`), under whatever name they were imported (`pd.DataFrame`,
`from pandas import DataFrame`).

Why it matters: building a DataFrame allocates an index, column blocks and dtype metadata, costing
tens to hundreds of microseconds even for one row, and appending a row by concatenation copies the
whole frame: O(n) per tick, O(n^2) over a session. Severity medium.
"""

from __future__ import annotations

from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Keep per-tick state in plain Python or preallocated numpy arrays (ring buffers, incremental "
    "features) and build DataFrames only for batch work off the tick path (end of day, reports)."
)
RULE = RuleSpec(
    id="PERF003",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="DataFrame built on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"

_CONSTRUCTORS = frozenset(
    f"{lib}.{name}"
    for lib in ("pandas", "polars")
    for name in (
        "DataFrame",
        "Series",
        "concat",
        "merge",
        "json_normalize",
        "DataFrame.from_dict",
        "DataFrame.from_records",
    )
)
_READERS = ("pandas.read_", "polars.read_")


def check(scope: FunctionScope) -> Iterator[Hit]:
    for call, _site in scope.calls():
        name = scope.call_name(call)
        if name and (name in _CONSTRUCTORS or name.startswith(_READERS)):
            yield scope.hit(RULE.id, call, f"{name}() in {scope.where()} builds a frame on every tick")
