"""Market facts shared by the trading core: exact money units and the CME instruments (policies/instruments.yaml)."""

from __future__ import annotations
