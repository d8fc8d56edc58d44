"""The time limit of the model's part of one question (gates.yaml `llm.time_limit_s`).

Only the model's work counts: choosing droids, and the answer's conversation with the tools it
runs. The droids' own run in between is bounded by the `ask` profile's `time_limit_s`, as without
a model, so the clock is paused while it runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Clock:
    def __init__(self, limit_s: float, now: Callable[[], float] = time.monotonic) -> None:
        self.limit_s = limit_s
        self._now = now
        self._spent = 0.0
        self._since: float | None = None

    @contextmanager
    def running(self) -> Iterator[Clock]:
        """Count the time spent inside this block (blocks do not nest)."""
        self._since = self._now()
        try:
            yield self
        finally:
            self._spent += self._now() - self._since
            self._since = None

    def spent(self) -> float:
        return self._spent + (self._now() - self._since if self._since is not None else 0.0)

    def remaining(self) -> float:
        return self.limit_s - self.spent()

    def expired(self) -> bool:
        return self.remaining() <= 0
