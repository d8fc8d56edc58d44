"""Signal to order: position sizing, bracket orders (partial-fill aware, OCO, time stop), the account.

    from trading_core.execution.sizing import size_entry
    from trading_core.execution.manager import OrderManager

Prices are integer ticks of the instrument, quantities signed whole contracts, money int units of
1/10,000 currency (trading_core.market.money), the same conventions as the Apex engine.
"""

from __future__ import annotations
