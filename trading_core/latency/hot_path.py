"""`@hot_path`: mark a function that runs on every market event, so static analysis checks it.

    from trading_core.latency.hot_path import hot_path

    @hot_path
    def update_book(self, tick: Tick) -> None: ...

Functions named `on_tick`, `on_bar`, `on_quote` or `on_trade` are hot by their name; the decorator
marks any other function that runs per tick (a feature update, a risk check called from OnTick).
The performance-optimizer droid's rules PERF001-PERF009 read the decorator from the source (AST),
so it costs nothing at run time: it sets one attribute and returns the function itself, unwrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

HOT_PATH_ATTRIBUTE = "__hot_path__"


def hot_path(fn: F) -> F:
    """Mark `fn` as running on every tick; return it unchanged (no wrapper, no per-call cost)."""
    setattr(fn, HOT_PATH_ATTRIBUTE, True)
    return fn


def is_hot_path(fn: object) -> bool:
    return bool(getattr(fn, HOT_PATH_ATTRIBUTE, False))
