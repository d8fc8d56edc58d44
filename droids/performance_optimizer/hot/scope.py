"""What a static rule looks at: one function of a module, each node with its loop context.

A rule receives a `FunctionScope` and yields `Hit`s. `sites()` walks the function body once and tells,
for each node, which loops of the function enclose it (a `for`/`while` body, or a comprehension) and
whether it sits in an `except` handler, so rules can say "per iteration" or skip error branches.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from droids.performance_optimizer.hot.module import FunctionNode, HotFunction, ModuleIndex, dotted

Loop = ast.For | ast.AsyncFor | ast.While | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Site:
    node: ast.AST
    loops: tuple[Loop, ...]
    in_handler: bool


@dataclass(frozen=True)
class Hit:
    rule: str
    line: int
    function: str
    message: str
    code: str  # the offending expression's source, whitespace-normalised (evidence and fingerprint)


@dataclass
class FunctionScope:
    index: ModuleIndex
    fn: HotFunction
    source: str
    _segments: dict[int, str] = field(default_factory=dict)

    @cached_property
    def sites(self) -> list[Site]:
        out: list[Site] = []
        for stmt in self.fn.node.body:
            _visit(stmt, (), False, out)
        return out

    def calls(self) -> Iterator[tuple[ast.Call, Site]]:
        for site in self.sites:
            if isinstance(site.node, ast.Call):
                yield site.node, site

    def call_name(self, call: ast.Call) -> str | None:
        return self.index.qualified(call.func)

    def code(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or ast.unparse(node)
        return " ".join(text.split())[:160]

    def hit(self, rule: str, node: ast.AST, message: str) -> Hit:
        return Hit(rule, getattr(node, "lineno", self.fn.node.lineno), self.fn.qualname, message, self.code(node))

    def where(self) -> str:
        """`Engine.on_tick (named on_tick)`: the function and why it counts as hot."""
        return f"{self.fn.qualname} ({self.fn.why})"

    @cached_property
    def list_names(self) -> frozenset[str]:
        """Names (`xs`, `self.xs`) bound to a list in this function, the module or the class."""
        return self._bound(_is_list, ("list", "List", "typing.List"))

    @cached_property
    def dict_names(self) -> frozenset[str]:
        return self._bound(_is_dict, ("dict", "Dict", "typing.Dict", "defaultdict", "collections.defaultdict"))

    def _bound(self, is_kind: Callable[[ast.expr], bool], annotations: tuple[str, ...]) -> frozenset[str]:
        names: set[str] = set()
        for node in ast.walk(self.fn.node):
            names.update(_bindings(node, is_kind, annotations))
        for stmt in self.index.tree.body:
            names.update(_bindings(stmt, is_kind, annotations))
        for method in self.index.methods.get(self.fn.cls or "", {}).values():
            for node in ast.walk(method):
                names.update(n for n in _bindings(node, is_kind, annotations) if n.startswith("self."))
        return frozenset(names)


def _bindings(node: ast.AST, is_kind: Callable[[ast.expr], bool], annotations: tuple[str, ...]) -> Iterator[str]:
    if isinstance(node, ast.Assign) and is_kind(node.value):
        yield from (d for t in node.targets if (d := dotted(t)))
    elif isinstance(node, ast.AnnAssign):
        ann = node.annotation
        base = ann.value if isinstance(ann, ast.Subscript) else ann
        if (node.value is not None and is_kind(node.value)) or dotted(base) in annotations:
            d = dotted(node.target)
            if d:
                yield d


def _is_list(value: ast.expr) -> bool:
    if isinstance(value, ast.List | ast.ListComp):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.left, ast.List):  # [0] * n
        return True
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("list", "sorted")


def _is_dict(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.DictComp):
        return True
    if not isinstance(value, ast.Call):
        return False
    name = dotted(value.func)
    return name is not None and name.rsplit(".", 1)[-1] in ("dict", "defaultdict", "OrderedDict", "fromkeys")


def _visit(node: ast.AST, loops: tuple[Loop, ...], in_handler: bool, out: list[Site]) -> None:
    out.append(Site(node, loops, in_handler))
    if isinstance(node, FunctionNode | ast.ClassDef | ast.Lambda):
        return  # defined here, run elsewhere
    if isinstance(node, ast.For | ast.AsyncFor):
        inner = (*loops, node)
        _visit(node.target, inner, in_handler, out)
        _visit(node.iter, loops, in_handler, out)  # evaluated once, before the loop
        for child in node.body:
            _visit(child, inner, in_handler, out)
        for child in node.orelse:
            _visit(child, loops, in_handler, out)
        return
    if isinstance(node, ast.While):
        inner = (*loops, node)
        for child in [node.test, *node.body]:
            _visit(child, inner, in_handler, out)
        for child in node.orelse:
            _visit(child, loops, in_handler, out)
        return
    if isinstance(node, _COMPREHENSIONS):
        inner = (*loops, node)
        first, *rest = node.generators
        _visit(first.iter, loops, in_handler, out)  # the outermost iterable is evaluated once
        for child in [first.target, *first.ifs]:
            _visit(child, inner, in_handler, out)
        for gen in rest:
            for child in [gen.target, gen.iter, *gen.ifs]:
                _visit(child, inner, in_handler, out)
        elts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for child in elts:
            _visit(child, inner, in_handler, out)
        return
    if isinstance(node, ast.ExceptHandler):
        for child in ast.iter_child_nodes(node):
            _visit(child, loops, True, out)
        return
    for child in ast.iter_child_nodes(node):
        _visit(child, loops, in_handler, out)
