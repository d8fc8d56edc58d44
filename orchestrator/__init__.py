"""The top layer: the LangGraph graph (route -> fan-out -> resolve -> respond), the CLI, renderers."""

from __future__ import annotations
