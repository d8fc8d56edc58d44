"""The small building blocks: the EMA constant and the ring buffer."""

from __future__ import annotations

import pytest

from trading_core.features.ema import alpha_of
from trading_core.features.rolling import RollingWindow


@pytest.mark.parametrize(("span", "alpha"), [(1, 1.0), (3, 0.5), (9, 0.2)])
def test_alpha(span: int, alpha: float) -> None:
    assert alpha_of(span) == alpha


def test_alpha_rejects_a_zero_span() -> None:
    with pytest.raises(ValueError, match="span"):
        alpha_of(0)


@pytest.mark.parametrize(
    ("size", "values", "dropped", "oldest"),
    [(3, [1, 2], [None, None], 1), (2, [1, 2, 3], [None, None, 1], 2), (1, [5, 6], [None, 5], 6)],
)
def test_ring_buffer(size: int, values: list[float], dropped: list[float | None], oldest: float) -> None:
    w = RollingWindow(size)
    assert [w.push(v) for v in values] == dropped
    assert w.oldest() == oldest
