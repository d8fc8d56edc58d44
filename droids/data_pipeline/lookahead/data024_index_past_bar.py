"""DATA024 Indexing past the current bar: `x[i + 1]` inside a loop over bars `i`.

What it finds, in feature and strategy code, inside `for i in range(...)` or
`for i, ... in enumerate(...)`: an index `i + k` (k >= 1), `.iloc[i + k]`/`.iat`/`.at`, a slice
starting at `i + k` (`x[i + 1:]`) or ending past the next bar (`x[: i + 2]`); `x[: i + 1]` is the
bar itself and passes.
Why: inside a loop that walks bars in time, `i` is now; `i + 1` is the future. Severity high. How to
fix: read `x[i]` and earlier only; if a label needs the next bar, build it in the labelling code
(outside `lookahead.paths`) or mark the line `# droid: ignore[DATA024]` with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from droids.core.models import RuleSpec, Severity
from droids.data_pipeline.lookahead.source import Hit, Source
from droids.data_pipeline.names import DROID

RULE = RuleSpec(
    id="DATA024",
    droid=DROID,
    severity=Severity.HIGH,
    title="Indexing past the current bar",
    description=__doc__ or "",
    fix="Read x[i] and earlier only; build look-ahead labels outside feature code.",
)


def check(src: Source) -> Iterator[Hit]:
    for loop in ast.walk(src.tree):
        if not isinstance(loop, ast.For) or not _bar_loop(loop):
            continue
        index = _loop_var(loop.target)
        if index is None:
            continue
        for node in (n for stmt in loop.body for n in ast.walk(stmt)):
            if not isinstance(node, ast.Subscript):
                continue
            s = node.slice
            if isinstance(s, ast.Slice):
                if _lead(s.lower, index) >= 1 or _lead(s.upper, index) >= 2:
                    yield src.hit(RULE.id, node, f"{ast.unparse(node)} reads bars after the current one ({index})")
            elif _lead(s, index) >= 1:
                yield src.hit(RULE.id, node, f"{ast.unparse(node)} reads a bar after the current one ({index})")


def _bar_loop(loop: ast.For) -> bool:
    it = loop.iter
    return isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id in ("range", "enumerate")


def _loop_var(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
        return target.elts[0].id
    return None


def _lead(node: ast.expr | None, index: str) -> int:
    """k when `node` is `index + k` (or `k + index`) with a literal k, else 0."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)):
        return 0
    for a, b in ((node.left, node.right), (node.right, node.left)):
        if isinstance(a, ast.Name) and a.id == index and isinstance(b, ast.Constant) and isinstance(b.value, int):
            return b.value
    return 0
