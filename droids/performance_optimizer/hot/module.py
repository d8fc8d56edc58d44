"""One parsed Python module: its imports, functions, classes, and which functions are hot.

A function is hot when it runs on every market event: it is named like a tick handler (`on_tick`,
`on_bar`, `on_quote`, `on_trade`; the names come from perf.yaml), it is decorated with the trading
core's `@hot_path`, or a hot function of the same module calls it (`helper(...)` for a module-level
function, `self.helper(...)` / `cls.helper(...)` for a method of the same class), transitively.
Calls into other modules are not followed: each module is judged on its own, which keeps the scan
linear in the size of the repository.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class HotFunction:
    node: FunctionNode
    qualname: str  # "Engine.on_tick" or "update"
    cls: str | None
    why: str  # "named on_tick", "decorated @hot_path", "called from Engine.on_tick", "async def"

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)


@dataclass
class ModuleIndex:
    tree: ast.Module
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    methods: dict[str, dict[str, FunctionNode]] = field(default_factory=dict)
    loggers: set[str] = field(default_factory=set)  # names and `self.x` bound to logging.getLogger
    hot: list[HotFunction] = field(default_factory=list)  # set by the scanner: the module's hot functions
    memo: dict[Any, Any] = field(default_factory=dict)  # per-module results rules share

    @classmethod
    def build(cls, tree: ast.Module) -> ModuleIndex:
        """Functions and classes of the module; names are resolved later, only for modules that
        have hot or async functions (`resolve_names`)."""
        index = cls(tree)
        for node in tree.body:
            if isinstance(node, FunctionNode):
                index.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                index.methods[node.name] = {n.name: n for n in node.body if isinstance(n, FunctionNode)}
        return index

    def resolve_names(self, hot: Iterable[FunctionNode]) -> None:
        """Imports (module level, and inside the functions that are scanned: lazy imports are common
        on this codebase) and the names bound to `logging.getLogger(...)`."""
        scanned = [*hot, *(fn for _, fn in self._all_functions() if isinstance(fn, ast.AsyncFunctionDef))]
        nodes = [*_top_level(self.tree), *(n for fn in scanned for n in self.body(fn))]
        for node in nodes:
            if isinstance(node, ast.Import):
                for a in node.names:
                    local = a.asname or a.name.split(".")[0]
                    self.aliases[local] = a.name if a.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for a in node.names:
                    self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for cls in {h.cls for h in self.hot if h.cls}:
            init = self.methods[cls].get("__init__")  # where `self.log = logging.getLogger(...)` lives
            nodes += self.body(init) if init is not None else []
        for node in nodes:
            getter = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(getter, ast.Call) and self.qualified(getter.func) == "logging.getLogger":
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[union-attr]
                self.loggers.update(d for t in targets if (d := dotted(t)))

    def body(self, fn: FunctionNode) -> list[ast.AST]:
        """`body_nodes(fn)`, computed once per function (several passes read it)."""
        key = ("body", id(fn))
        if key not in self.memo:
            self.memo[key] = list(body_nodes(fn))
        return self.memo[key]

    def qualified(self, expr: ast.expr) -> str | None:
        """Dotted name of a Name/Attribute chain with its root import resolved (`pd.DataFrame` ->
        `pandas.DataFrame`); None for anything else (calls, subscripts)."""
        name = dotted(expr)
        if name is None:
            return None
        root, _, rest = name.partition(".")
        origin = self.aliases.get(root)
        if origin is None:
            return name
        return f"{origin}.{rest}" if rest else origin

    def imports(self, package: str) -> bool:
        return any(o == package or o.startswith(package + ".") for o in self.aliases.values())

    def hot_functions(self, hot_names: tuple[str, ...]) -> list[HotFunction]:
        """Hot roots and everything they call in this module, each once, in discovery order."""
        found: dict[tuple[str | None, str], HotFunction] = {}
        queue: list[HotFunction] = []
        for cls, fn in self._all_functions():
            why = _root_reason(fn, hot_names)
            if why:
                hot = HotFunction(fn, _qualname(cls, fn), cls, why)
                found[(cls, fn.name)] = hot
                queue.append(hot)
        while queue:
            caller = queue.pop(0)
            for cls, callee in self._callees(caller):
                if (cls, callee.name) not in found:
                    hot = HotFunction(callee, _qualname(cls, callee), cls, f"called from {caller.qualname}")
                    found[(cls, callee.name)] = hot
                    queue.append(hot)
        return list(found.values())

    def async_functions(self) -> list[HotFunction]:
        return [
            HotFunction(fn, _qualname(cls, fn), cls, "async def")
            for cls, fn in self._all_functions()
            if isinstance(fn, ast.AsyncFunctionDef)
        ]

    def _all_functions(self) -> Iterator[tuple[str | None, FunctionNode]]:
        for fn in self.functions.values():
            yield None, fn
        for cls, methods in self.methods.items():
            for fn in methods.values():
                yield cls, fn

    def _callees(self, caller: HotFunction) -> Iterator[tuple[str | None, FunctionNode]]:
        for node in self.body(caller.node):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Name) and f.id in self.functions:
                yield None, self.functions[f.id]
            elif (
                caller.cls is not None
                and isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id in ("self", "cls")
                and f.attr in self.methods.get(caller.cls, {})
            ):
                yield caller.cls, self.methods[caller.cls][f.attr]


def dotted(expr: ast.AST | None) -> str | None:
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def _top_level(tree: ast.Module) -> Iterator[ast.AST]:
    """Module-level statements, looking into `if`/`try` blocks (TYPE_CHECKING, optional imports)."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If | ast.Try):
            stack.extend(reversed([*node.body, *node.orelse, *getattr(node, "finalbody", [])]))
            for handler in getattr(node, "handlers", []):
                stack.extend(reversed(handler.body))


def body_nodes(fn: FunctionNode) -> Iterator[ast.AST]:
    """Every node of `fn`'s body, not descending into nested functions or classes (they do not run
    when `fn` runs)."""
    stack: list[ast.AST] = list(reversed(fn.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, FunctionNode | ast.ClassDef):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _root_reason(fn: FunctionNode, hot_names: tuple[str, ...]) -> str | None:
    if fn.name in hot_names:
        return f"named {fn.name}"
    for d in fn.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = dotted(target)
        if name and name.rsplit(".", 1)[-1] == "hot_path":
            return "decorated @hot_path"
    return None


def _qualname(cls: str | None, fn: FunctionNode) -> str:
    return f"{cls}.{fn.name}" if cls else fn.name
