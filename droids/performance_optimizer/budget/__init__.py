"""Budget-gate rules (PERF010-PERF015): one module per rule, each turning judged stages into findings."""

from __future__ import annotations
