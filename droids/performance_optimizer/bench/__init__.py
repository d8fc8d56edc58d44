"""The budget gate's machinery: run the benchmark suite, read its JSON, judge it, keep its history."""

from __future__ import annotations
