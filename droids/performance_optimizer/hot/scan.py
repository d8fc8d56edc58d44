"""Scan one module's source for PERF001-PERF009: find its hot and async functions, run the rules.

Most files of a repository have no tick handler, no `@hot_path` and no `async def`; a byte search
for those skips them before any parsing, which keeps a whole-repository scan well under a second.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from droids.performance_optimizer.hot import (
    perf001_blocking_call,
    perf002_logging_per_tick,
    perf003_dataframe_construction,
    perf004_rowwise_pandas,
    perf005_pop_front,
    perf006_list_membership_in_loop,
    perf007_nested_growing_loops,
    perf008_sync_io_in_async,
    perf009_thread_or_process,
)
from droids.performance_optimizer.hot.module import ModuleIndex
from droids.performance_optimizer.hot.scope import FunctionScope, Hit

RULE_MODULES: tuple[ModuleType, ...] = (
    perf001_blocking_call,
    perf002_logging_per_tick,
    perf003_dataframe_construction,
    perf004_rowwise_pandas,
    perf005_pop_front,
    perf006_list_membership_in_loop,
    perf007_nested_growing_loops,
    perf008_sync_io_in_async,
    perf009_thread_or_process,
)
RULES = tuple(m.RULE for m in RULE_MODULES)


@dataclass(frozen=True)
class ModuleScan:
    hits: list[Hit]
    parsed: bool  # False: skipped by the byte search
    hot_functions: int
    error: str | None = None  # a syntax error: the file cannot be judged


@lru_cache(maxsize=8)
def _needles(hot_names: tuple[str, ...]) -> tuple[bytes, ...]:
    # Plain substring tests (memchr-fast); a regex alternation here costs more than the whole scan.
    return (b"hot_path", b"async def", *(b"def " + n.encode() for n in hot_names))


def might_be_hot(source: bytes, hot_names: tuple[str, ...]) -> bool:
    """False when the source cannot hold a hot or async function (no name, decorator or keyword)."""
    return any(needle in source for needle in _needles(hot_names))


def scan_module(
    source: bytes, hot_names: tuple[str, ...], parse: Callable[[], ast.Module | str] | None = None
) -> ModuleScan:
    """Scan `source`; `parse` gives its tree (the run's shared parse), or where it does not parse."""
    if not might_be_hot(source, hot_names):
        return ModuleScan([], parsed=False, hot_functions=0)
    text = source.decode("utf-8", "replace")
    tree = parse() if parse is not None else _parse(text)
    if isinstance(tree, str):
        return ModuleScan([], parsed=True, hot_functions=0, error=tree)
    index = ModuleIndex.build(tree)
    index.hot = index.hot_functions(hot_names)
    if not index.hot and not index.async_functions():
        return ModuleScan([], parsed=True, hot_functions=0)
    index.resolve_names(fn.node for fn in index.hot)
    hits = list(dict.fromkeys(_hits(index, text)))
    hits.sort(key=lambda h: (h.line, h.rule))
    return ModuleScan(hits, parsed=True, hot_functions=len(index.hot))


def _parse(text: str) -> ast.Module | str:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        where = f"line {exc.lineno}: " if isinstance(exc, SyntaxError) and exc.lineno else ""
        return f"{where}{exc.msg if isinstance(exc, SyntaxError) else exc}"


def _hits(index: ModuleIndex, text: str) -> Iterator[Hit]:
    for scope_kind, functions in (("hot", index.hot), ("async", index.async_functions())):
        rules = [m for m in RULE_MODULES if scope_kind == m.SCOPE]
        for fn in functions:
            scope = FunctionScope(index, fn, text)
            for rule in rules:
                yield from rule.check(scope)
