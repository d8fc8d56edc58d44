"""Fixtures of the data-pipeline tests: a clean week of ES bars, a repository with the desk's policies,
a Twelve Data key built at run time, a fake Twelve Data server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO_ROOT
from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes
from tests.droids.data_pipeline.fake_twelvedata import FakeTwelveData
from tests.secret_values import twelve_data_key

# Thanksgiving week 2025: early closes on Thursday and Friday, then a regular Monday and Tuesday.
WEEK = (date(2025, 11, 24), date(2025, 12, 2))


@pytest.fixture(scope="session")
def week_bars() -> dict[str, np.ndarray]:
    return bars_for(session_minutes(*WEEK))


@pytest.fixture
def bars(week_bars: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A fresh copy a test may break in one place."""
    return {k: v.copy() for k, v in week_bars.items()}


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    """This repository's policies (instruments.yaml gives the tick sizes), without data.yaml."""
    out = tmp_path / "policies"
    out.mkdir()
    for name in ("instruments.yaml", "gates.yaml"):
        shutil.copy(REPO_ROOT / "policies" / name, out / name)
    return out


@pytest.fixture
def key() -> str:
    return twelve_data_key(14)


@pytest.fixture
def fake(key: str, week_bars: dict[str, np.ndarray]) -> Iterator[FakeTwelveData]:
    with FakeTwelveData(key, {"ES": week_bars}) as server:
        yield server


@pytest.fixture
def td_env(monkeypatch: pytest.MonkeyPatch, fake: FakeTwelveData, key: str) -> FakeTwelveData:
    monkeypatch.setenv("TWELVEDATA_API_KEY", key)
    monkeypatch.setenv("TWELVEDATA_URL", fake.url)
    return fake
