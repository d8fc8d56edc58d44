"""Fixtures for the Apex engine tests: the shipped policies, loaded once per preset."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from trading_core.apex.policy import ApexPolicy, load_apex_policy

POLICIES = REPO_ROOT / "policies"
JOURNALS = REPO_ROOT / "tests" / "fixtures" / "journals"


@pytest.fixture(scope="session")
def policies_dir() -> Path:
    return POLICIES


def policy(ruleset: str = "seed", account: str = "50k") -> ApexPolicy:
    return _cached(ruleset, account)


_CACHE: dict[tuple[str, str], ApexPolicy] = {}


def _cached(ruleset: str, account: str) -> ApexPolicy:
    key = (ruleset, account)
    if key not in _CACHE:
        _CACHE[key] = load_apex_policy(POLICIES, ruleset=ruleset, account=account)
    return _CACHE[key]
