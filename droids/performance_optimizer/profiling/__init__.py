"""Profiling (PERF020-PERF022): cProfile and py-spy of an OnTick replay, tracemalloc growth."""

from __future__ import annotations
