"""`@hot_path` (trading_core/latency/hot_path.py): free at run time, visible to the static rules."""

from __future__ import annotations

import inspect

from droids.performance_optimizer.hot.scan import scan_module
from trading_core.latency import hot_path as marker
from trading_core.latency.hot_path import hot_path, is_hot_path


def test_the_decorator_returns_the_function_itself_marked() -> None:
    def update(x: int) -> int:
        return x + 1

    decorated = hot_path(update)

    assert decorated is update  # no wrapper: no per-call cost
    assert is_hot_path(update) and not is_hot_path(len)
    assert decorated(1) == 2


def test_the_static_rules_see_a_decorated_method_and_what_it_calls() -> None:
    source = inspect.cleandoc(
        """
        import time
        from trading_core.latency.hot_path import hot_path

        class Book:
            @hot_path
            def apply(self, quote):
                self._persist(quote)

            def _persist(self, quote):
                time.sleep(0.001)
        """
    ).encode()

    result = scan_module(source, ("on_tick",))

    assert [(h.rule, h.function, h.line) for h in result.hits] == [("PERF001", "Book._persist", 10)]
    assert "called from Book.apply" in result.hits[0].message
    assert marker.HOT_PATH_ATTRIBUTE == "__hot_path__"
