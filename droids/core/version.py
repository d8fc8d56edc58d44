"""The tool's version, in a module of its own so that `droid --version` imports nothing else."""

from __future__ import annotations

VERSION = "0.1.0"
