"""The governed subject: a CME futures scalper for an Apex Trader Funding account.

It imports nothing from `droids` or `orchestrator`: it must run alone.
"""

from __future__ import annotations
