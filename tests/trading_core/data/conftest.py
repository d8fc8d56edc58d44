"""Shared fixtures: the shipped policies and the generator policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from trading_core.market.instruments import Instruments, load_instruments
from trading_core.sim.config import SimPolicy, load_sim_policy

POLICIES = REPO_ROOT / "policies"


@pytest.fixture(scope="session")
def instruments() -> Instruments:
    return load_instruments(POLICIES / "instruments.yaml")


@pytest.fixture(scope="session")
def sim_policy(instruments: Instruments) -> SimPolicy:
    return load_sim_policy(POLICIES, instruments)


@pytest.fixture(scope="session")
def tick_sizes(instruments: Instruments) -> dict[str, float]:
    return {root: float(instruments[root].tick_size) for root in instruments.roots}


def policies_dir() -> Path:
    return POLICIES
