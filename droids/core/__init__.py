"""The contract every droid shares: card, task, finding, report, registry, policy loading."""

from __future__ import annotations
