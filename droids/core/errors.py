"""The droid layer's one error type.

A `DroidError` is bad input met by a droid or by the shared contract (a malformed card, an unreadable
file, a corrupt baseline, a directory that is not a git repository). The CLI's single handler turns
it into one line on stderr and exit code 2. Anything else a droid raises is an internal error: the
orchestrator records it as the droid's `error` status and the gate fails closed (exit 3).
"""

from __future__ import annotations


class DroidError(Exception):
    """Bad input at the droid layer; the message is the one line the user sees."""
