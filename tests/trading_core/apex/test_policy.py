"""policies/apex.yaml and instruments.yaml load into frozen models; bad keys name file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.trading_core.apex.conftest import POLICIES, policy
from trading_core.apex.policy import list_accounts, list_rulesets, load_apex_policy
from trading_core.apex.spec import compile_spec
from trading_core.errors import TradingCoreError


def test_presets_and_accounts_are_listed_in_file_order() -> None:
    assert list_rulesets(POLICIES) == ["seed", "apex-3.0", "apex-4.0"]
    assert list_accounts(POLICIES) == ["25k", "50k", "100k", "150k", "250k", "300k"]


def test_default_is_seed_on_50k() -> None:
    pol = load_apex_policy(POLICIES)
    assert (pol.ruleset_name, pol.account_name) == ("seed", "50k")


def test_models_are_frozen() -> None:
    with pytest.raises(ValidationError):
        policy().account.max_contracts = 99  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ruleset", "account", "message"),
    [
        ("apex-5.0", "50k", "rulesets: unknown ruleset 'apex-5.0' (expected one of: seed, apex-3.0, apex-4.0)"),
        ("seed", "75k", "accounts: unknown account '75k' (expected one of: 25k, 50k, 100k, 150k, 250k, 300k)"),
    ],
)
def test_unknown_choice_names_key_and_allowed_values(ruleset: str, account: str, message: str) -> None:
    with pytest.raises(TradingCoreError, match="apex.yaml: " + message.replace("(", r"\(").replace(")", r"\)")):
        load_apex_policy(POLICIES, ruleset=ruleset, account=account)


# (case, file, text to replace, replacement, expected fragment)
BAD_EDITS = [
    ("percent above 100", "apex.yaml", 'percent: "10"', 'percent: "150"', "apex.yaml:"),
    (
        "warn above danger",
        "apex.yaml",
        'warn_at: "0.80", danger_at: "0.95", stop_trailing_above_start: null',
        'warn_at: "0.96", danger_at: "0.95", stop_trailing_above_start: null',
        "warn_at must be below danger_at",
    ),
    ("bad clock", "apex.yaml", 'deadline: "16:59"', 'deadline: "4:59 PM"', "session.deadline"),
    ("bad zone", "apex.yaml", "timezone: America/New_York", "timezone: Mars/Olympus", "unknown time zone"),
    (
        "unknown key",
        "apex.yaml",
        "guard:\n  flatten_before_deadline_s: 120",
        "guard:\n  flatten_before: 120",
        "guard.flatten_before",
    ),
    ("daily loss misses an account", "apex.yaml", '300k: "3000"}', "}", "missing: 300k"),
    (
        "off-unit tick value",
        "instruments.yaml",
        'tick_size: "0.25", point_value: "50", ',
        'tick_size: "0.00001", point_value: "0.5", ',
        "whole number of 0.0001",
    ),
    ("group names unknown root", "instruments.yaml", "sp500: [ES, MES]", "sp500: [ES, MES, XX]", "'XX'"),
]


@pytest.mark.parametrize(("case", "name", "old", "new", "fragment"), BAD_EDITS, ids=[c[0] for c in BAD_EDITS])
def test_bad_policy_is_one_line_naming_file_and_key(
    case: str, name: str, old: str, new: str, fragment: str, tmp_path: Path
) -> None:
    for f in ("apex.yaml", "instruments.yaml"):
        shutil.copy(POLICIES / f, tmp_path / f)
    text = (tmp_path / name).read_text()
    assert old in text, "the shipped policy changed; update this table"
    (tmp_path / name).write_text(text.replace(old, new, 1))
    with pytest.raises(TradingCoreError) as err:
        load_apex_policy(tmp_path)
    assert str(err.value).startswith(str(tmp_path / name) + ":")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("ruleset", "account", "hwm", "threshold"),
    [
        ("seed", "50k", 50_000, 45_000),  # 10 % of the high-water mark
        ("seed", "50k", 51_234, 46_110.6),
        ("apex-3.0", "50k", 50_000, 47_500),  # fixed $2,500
        ("apex-3.0", "50k", 52_600, 50_100),  # locks at start + $100 once the peak reaches $52,600
        ("apex-3.0", "50k", 60_000, 50_100),  # and never trails further
        ("apex-3.0", "300k", 300_000, 292_500),
        ("apex-4.0", "25k", 25_500, 24_000),
    ],
)
def test_threshold_per_preset(ruleset: str, account: str, hwm: int, threshold: float) -> None:
    spec = compile_spec(policy(ruleset, account))
    units = hwm * 10_000
    assert spec.dd.threshold(units, min) / spec.dd.scale / 10_000 == threshold


def test_seed_levels_are_8_and_9_5_percent() -> None:
    dd = compile_spec(policy()).dd
    hwm = 50_000 * 10_000
    t = dd.threshold(hwm, min)
    assert dd.warn_level(hwm, t) / dd.scale / 10_000 == 46_000
    assert dd.danger_level(hwm, t) / dd.scale / 10_000 == 45_250


def test_pa_half_size_until_the_threshold_locks() -> None:
    spec = compile_spec(policy("apex-3.0", "50k"))
    below, locked = 52_599 * 10_000, 52_600 * 10_000
    assert spec.cap(below, lambda c, a, b: a if c else b) == 5 * spec.weight_scale
    assert spec.cap(locked, lambda c, a, b: a if c else b) == 10 * spec.weight_scale
