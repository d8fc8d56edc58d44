"""The closed trades' outcomes, kept across chunks: what MON006 and MON009 read."""

from __future__ import annotations

from typing import Any


class WinHistory:
    """Win (P&L > 0) or not of every closed trade so far: counts, and the last `keep` outcomes."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.total = 0
        self.total_wins = 0
        self.recent: Any = None

    def extend(self, wins: Any) -> tuple[Any, int, int]:
        """The outcomes with the kept ones before them, and the total trades and wins before those."""
        import numpy as np

        joined = wins if self.recent is None else np.concatenate((self.recent, wins))
        before_n = self.total - (0 if self.recent is None else len(self.recent))
        before_w = self.total_wins - (0 if self.recent is None else int(self.recent.sum()))
        self.total += len(wins)
        self.total_wins += int(wins.sum())
        self.recent = joined[-self.keep :]
        return joined, before_n, before_w
