"""The `droid` command line (typer). Heavy work is imported inside commands."""

from __future__ import annotations
