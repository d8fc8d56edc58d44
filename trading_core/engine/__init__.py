"""The OnTick engine: the strategy policy (config.py) and the per-tick pipeline (pipeline.py).

Use: build `Engine(strategy, apex_policy, budgets, venue)` with a venue that implements
`trading_core.execution.orders.Venue` (the simulator's SimVenue, or a broker adapter), feed it every
market event with `on_tick(tick)` and every fill with `on_fill(order, fill)`; `kill(reason, ts_us)`
is the kill switch.
"""

from __future__ import annotations
