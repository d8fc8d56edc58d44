"""SENTINEL: the pre-trade risk gate every order passes, and the kill switch.

    from trading_core.risk.sentinel import Sentinel
    sentinel.check_entry(symbol, qty, ts_us) -> Allow | Deny(rule, reason)   # never raises
    sentinel.on_tick(ts_us) -> list[str]        # "flatten_all" when a SENTINEL tier trips
    sentinel.on_account_event(...) -> list[str] # feeds the Apex guard; its flatten/cancel requests
    sentinel.kill(reason, ts_us)                 # kill switch: flatten all, cancel all, halt for good

SENTINEL wraps the Apex guard (trading_core.apex.ApexGuard: the account's rules) and adds its own,
tighter limits from policies/strategy.yaml (`risk` and `sizing`). Rule ids: SEN001 kill switch, SEN002
halted for the day, SEN003 latency degraded, SEN004 order or position size, SEN005 daily loss limit,
SEN006 daily profit cap (consistency), SEN007 soft drawdown tier (size cut), SEN008 hard drawdown
tier, SEN009 bad market data; APX0xx denials come from the Apex guard unchanged.
"""

from __future__ import annotations
