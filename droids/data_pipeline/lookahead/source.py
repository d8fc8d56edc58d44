"""What the static look-ahead rules read from one module: its tree, its import aliases, and helpers to
name calls (`np.roll` and `numpy.roll` and `from numpy import roll` are the same call)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hit:
    rule: str
    line: int
    message: str
    code: str


@dataclass
class Source:
    path: str
    tree: ast.Module
    lines: list[str]
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin

    @classmethod
    def of(cls, path: str, tree: ast.Module, lines: list[str]) -> Source:
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        return cls(path, tree, lines, aliases)

    def qualified(self, node: ast.expr) -> str:
        """`np.lib.roll` -> 'numpy.lib.roll' through the aliases; '' when it is not a plain name."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ""
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    def code(self, node: ast.AST) -> str:
        line = getattr(node, "lineno", 1)
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""

    def hit(self, rule: str, node: ast.AST, message: str) -> Hit:
        return Hit(rule, getattr(node, "lineno", 1), message, self.code(node))

    def calls(self) -> Iterator[ast.Call]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                yield node


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def arg(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """The argument at `position` or passed as `name=`."""
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return keyword(call, name)


def negative(node: ast.expr | None) -> bool:
    """A literal negative number or `-name` (a lead of unknown size is still a lead)."""
    if node is None:
        return False
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return not (isinstance(node.operand, ast.Constant) and node.operand.value == 0)
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and node.value < 0


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
