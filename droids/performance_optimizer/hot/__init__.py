"""Hot-path static analysis (PERF001-PERF009): AST rules over functions that run on every tick."""

from __future__ import annotations
