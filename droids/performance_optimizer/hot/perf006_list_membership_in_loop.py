"""PERF006 Membership test on a list inside a loop on the hot path: O(n) per test, O(n*m) per tick.

What it finds, in a hot function (see PERF001), inside a `for`/`while` loop or a comprehension:
`x in xs` / `x not in xs` where `xs` is a list: a name or attribute bound to a list literal,
`list(...)`, `sorted(...)`, a list comprehension or a `list[...]` annotation in this function, the
module or the class (`self.xs = []` in `__init__`), or a list built inline (`x in [a for a in ...]`,
`x in list(...)`, `x in sorted(...)`).
Not reported: tests against a literal `[a, b, c]` (Python turns it into a constant tuple; it stays
small), sets, dicts and tuples.

Why it matters: a list is searched element by element, so the loop costs O(len(loop) x len(list))
on every tick, and it grows as the list does. Severity low.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.module import dotted
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Keep a set (or dict) next to the list, or instead of it, and test membership there: O(1). "
    "Build it once outside the loop, not per iteration."
)
RULE = RuleSpec(
    id="PERF006",
    droid=DROID,
    severity=Severity.LOW,
    title="Membership test on a list inside a loop on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"


def check(scope: FunctionScope) -> Iterator[Hit]:
    for site in scope.sites:
        node = site.node
        if not site.loops or not isinstance(node, ast.Compare):
            continue
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and _is_list(scope, right):
                yield scope.hit(
                    RULE.id, node, f"membership test on the list {scope.code(right)} inside a loop in {scope.where()}"
                )


def _is_list(scope: FunctionScope, expr: ast.expr) -> bool:
    if isinstance(expr, ast.ListComp):
        return True
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "sorted"):
        return True
    name = dotted(expr)
    return name is not None and name in scope.list_names
