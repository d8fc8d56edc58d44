"""PERF007 Quadratic loop over a growing collection on the hot path.

What it finds, in a hot function (see PERF001):
- nested loops (`for`, comprehensions) over the same collection, `for a in xs: for b in xs:`,
  when `xs` grows without bound in the module: O(n^2) per tick;
- a full pass (`for`, a comprehension, `sum/min/max/sorted/list/tuple/set/any/all(...)`) over a
  collection that hot code itself appends to on every tick and nothing trims: O(n) per tick, so
  O(n^2) over a session, and the tick gets slower the longer the engine runs.
"Grows without bound": something appends to it (`append`, `extend`, `insert`, `add`, `+=`, ...) and
nothing removes from it (`pop`, `remove`, `clear`, `del`, slice reassignment) and it is not a
`deque(maxlen=...)`.

Why it matters: the cost of the tick climbs with the session length: fine in a short backtest,
over budget after hours of live trading. Severity medium.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot import growth
from droids.performance_optimizer.hot.module import dotted
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Keep a running aggregate updated in O(1) per tick (sum, count, min/max with a monotonic deque), "
    "bound the collection with collections.deque(maxlen=N), or index it (dict/set) instead of scanning."
)
RULE = RuleSpec(
    id="PERF007",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Quadratic loop over a growing collection on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"

_PASSES = frozenset({"sum", "min", "max", "sorted", "list", "tuple", "set", "any", "all"})


def check(scope: FunctionScope) -> Iterator[Hit]:
    candidates = [
        (name, outer, node)
        for site in scope.sites
        for name, outer, node in _iterations(site.node, _enclosing(site.loops))
        if name is not None
    ]
    if not candidates:
        return  # no loop over a named collection: skip the module-wide growth analysis
    module, per_tick = _growth(scope)
    reported: set[int] = set()  # one finding per loop
    for name, outer, node in candidates:
        if id(node) in reported:
            continue
        if name in outer and module.unbounded(name):
            message = f"nested loops over {name}, which grows without bound, in {scope.where()}: O(n^2)"
        elif per_tick.unbounded(name):
            message = (
                f"full pass over {name} in {scope.where()}; hot code appends to it on every tick and nothing "
                "trims it: O(n) per tick"
            )
        else:
            continue
        reported.add(id(node))
        yield scope.hit(RULE.id, node, message)


def _growth(scope: FunctionScope) -> tuple[growth.Growth, growth.Growth]:
    """Module-wide growth, and growth by hot code (trimmed anywhere counts as trimmed); once per module."""
    memo = scope.index.memo
    if "growth" not in memo:
        module = growth.of_module(scope.index.tree)
        per_tick = growth.of_functions(h.node for h in scope.index.hot)
        per_tick.shrinks |= module.shrinks
        per_tick.bounded |= module.bounded
        memo["growth"] = (module, per_tick)
    return memo["growth"]


def _iterations(node: ast.AST, enclosing: list[str | None]) -> Iterator[tuple[str | None, list[str | None], ast.AST]]:
    """(iterated collection, the collections of the loops around it, reporting node) of a loop,
    comprehension or pass call. In a comprehension each generator is nested in the earlier ones."""
    if isinstance(node, ast.For | ast.AsyncFor):
        yield dotted(node.iter), enclosing, node
    elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        names = [dotted(gen.iter) for gen in node.generators]
        for i, name in enumerate(names):
            yield name, enclosing + names[:i], node
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _PASSES
        and len(node.args) == 1
        and not isinstance(node.args[0], ast.GeneratorExp | ast.ListComp)  # the comprehension reports
    ):
        yield dotted(node.args[0]), enclosing, node


def _enclosing(loops: tuple[ast.AST, ...]) -> list[str | None]:
    return [dotted(it) for loop in loops if (it := _iter_of(loop)) is not None]


def _iter_of(loop: ast.AST) -> ast.expr | None:
    if isinstance(loop, ast.For | ast.AsyncFor):
        return loop.iter
    if isinstance(loop, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return loop.generators[0].iter
    return None
