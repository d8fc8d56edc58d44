"""The tool's version, re-exported where the CLI reads it (`droid --version` imports nothing else)."""

from __future__ import annotations

from droids.core.version import VERSION

__all__ = ["VERSION"]
