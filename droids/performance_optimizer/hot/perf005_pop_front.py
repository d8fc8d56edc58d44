"""PERF005 Removing from the front of a list on the hot path: `pop(0)`, `insert(0, x)`, `del x[0]`.

What it finds, in a hot function (see PERF001): `xs.pop(0)`, `xs.insert(0, value)` and
`del xs[0]`, unless `xs` is known to be a dict in this function, class or module (`d.pop(0)` on a
dict keyed by integers is O(1)).

Why it matters: a list shifts every remaining element on each of these, so a rolling window kept
this way costs O(window) per tick instead of O(1). Severity medium.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.performance_optimizer.hot.module import dotted
from droids.performance_optimizer.hot.scope import FunctionScope, Hit
from droids.performance_optimizer.names import DROID

FIX = (
    "Use collections.deque(maxlen=N): append() drops the oldest element in O(1) (popleft() and "
    "appendleft() are O(1) too), or a preallocated ring buffer with a moving index."
)
RULE = RuleSpec(
    id="PERF005",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Removing from the front of a list on the hot path",
    description=__doc__ or "",
    fix=FIX,
)
SCOPE = "hot"


def check(scope: FunctionScope) -> Iterator[Hit]:
    for site in scope.sites:
        node = site.node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f, args = node.func, node.args
            front = (f.attr == "pop" and len(args) == 1 and _is_zero(args[0])) or (
                f.attr == "insert" and len(args) == 2 and _is_zero(args[0])
            )
            if front and dotted(f.value) not in scope.dict_names:
                yield scope.hit(RULE.id, node, f".{f.attr}(0) in {scope.where()} shifts the whole list on every tick")
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and _is_zero(target.slice)
                    and dotted(target.value) not in scope.dict_names
                ):
                    yield scope.hit(RULE.id, node, f"del ...[0] in {scope.where()} shifts the whole list on every tick")


def _is_zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and not isinstance(node.value, bool)
