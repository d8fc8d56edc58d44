"""The orchestrator's one error type: bad usage or input (unknown droid, path outside the repo,
a request no droid matches). The CLI prints its message as one line and exits 2."""

from __future__ import annotations


class OrchestratorError(Exception):
    """Bad usage or input at the top layer; the message is the one line the user sees."""
