"""The droid's stable id, shared by its checks and rules."""

from __future__ import annotations

DROID = "performance-optimizer"
