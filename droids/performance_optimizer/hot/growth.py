"""How collections change in a module: which grow, which shrink, which are bounded (for PERF007).

Collections are identified by their dotted name (`self.trades`, `history`). A collection "grows
without bound" when something appends to it (`append`, `extend`, `insert`, `add`, `update`,
`appendleft`, `+=`) and nothing ever removes from it (`pop`, `popleft`, `remove`, `discard`,
`clear`, `del x[...]`, `x[:] = ...`, `x = x[...]`) and it is not a `deque(maxlen=...)`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from droids.performance_optimizer.hot.module import FunctionNode, body_nodes, dotted

_GROW = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "extendleft"})
_SHRINK = frozenset({"pop", "popleft", "popitem", "remove", "discard", "clear"})


@dataclass
class Growth:
    grows: set[str] = field(default_factory=set)
    shrinks: set[str] = field(default_factory=set)
    bounded: set[str] = field(default_factory=set)

    def unbounded(self, name: str | None) -> bool:
        return name is not None and name in self.grows and name not in self.shrinks and name not in self.bounded


def collect(nodes: Iterable[ast.AST]) -> Growth:
    g = Growth()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = dotted(node.func.value)
            if target and node.func.attr in _GROW:
                g.grows.add(target)
            elif target and node.func.attr in _SHRINK:
                g.shrinks.add(target)
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            if target := dotted(node.target):
                g.grows.add(target)
        elif isinstance(node, ast.Delete):
            g.shrinks.update(d for t in node.targets if isinstance(t, ast.Subscript) and (d := dotted(t.value)))
        elif isinstance(node, ast.Assign):
            _assignment(node, g)
    return g


def _assignment(node: ast.Assign, g: Growth) -> None:
    value = node.value
    for t in node.targets:
        if isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Slice) and (d := dotted(t.value)):
            g.shrinks.add(d)  # xs[:] = xs[-n:]
        name = dotted(t)
        if name is None:
            continue
        if isinstance(value, ast.Subscript) and dotted(value.value) == name:
            g.shrinks.add(name)  # xs = xs[-n:]
        if _bounded_deque(value):
            g.bounded.add(name)


def _bounded_deque(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call) or (f := dotted(value.func)) is None or f.rsplit(".", 1)[-1] != "deque":
        return False
    return any(k.arg == "maxlen" for k in value.keywords) or len(value.args) >= 2


def of_module(tree: ast.Module) -> Growth:
    return collect(ast.walk(tree))


def of_functions(functions: Iterable[FunctionNode]) -> Growth:
    return collect(node for fn in functions for node in body_nodes(fn))
