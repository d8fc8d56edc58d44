"""`DayPlan`: what the simulator forces on one generated day (a light module: no numpy, no engine).

Adversarial scenarios (the security droid's CMP003 suite, tests) describe their days with it
without importing the simulator itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DayPlan:
    crash: bool | None = None  # None: the generator's own draw
    runaway: bool = False
    faults_every: int = 0  # 0: a clean feed
