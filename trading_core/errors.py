"""The trading core's one error type.

`TradingCoreError` is bad input to the trading core: a policy file that does not validate, a journal
row that cannot be trusted. Its message is one line naming the file, the row, line or key, and what
was expected. The CLI turns it into exit code 2; the trading core never prints.
"""

from __future__ import annotations


class TradingCoreError(Exception):
    """Bad input to the trading core; the message is the one line the user sees."""
