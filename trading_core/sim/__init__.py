"""The offline simulator: generated days through the engine and a simulated venue, into journal files.

from trading_core.sim import run_simulation, DayPlan, SimResult
python -m trading_core.sim [--days N] [--seed S] [--out DIR] [--policies DIR] [--json]
"""

from __future__ import annotations

from typing import Any

__all__ = ["DayPlan", "SimResult", "run_simulation"]


def __getattr__(name: str) -> Any:
    # lazy: importing the package must not pull numpy and the engine (the CLI imports it to register)
    if name in __all__:
        from trading_core.sim import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'trading_core.sim' has no attribute {name!r}")
