"""Journals for the tests: in memory, split into chunks, or from a price path of one ES contract."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.droids.monitoring.support import HEADER, es_path
from trading_core.apex import load_apex_policy, read_journal
from trading_core.apex.journal import Journal

_FIELDS = ("ts_us", "is_fill", "sym", "qty", "price_ticks", "fee_units", "row")


def split(journal: Journal, bounds: Sequence[int]) -> list[Journal]:
    return [
        dataclasses.replace(journal, **{f: getattr(journal, f)[a:b] for f in _FIELDS}, payouts=())
        for a, b in itertools.pairwise(bounds)
    ]


def journal_of(prices: Sequence[float], tmp: Path | None = None, **kw: object) -> Journal:
    """The journal `es_path(prices)` describes, read by the trading core's reader."""
    import tempfile

    folder = Path(tmp or tempfile.mkdtemp())
    path = folder / "journal.csv"
    path.write_text(HEADER + es_path(prices, **kw))  # type: ignore[arg-type]
    return read_journal(path, instruments=load_apex_policy(REPO_ROOT / "policies").instruments)
