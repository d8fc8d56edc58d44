from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.models import Severity
from droids.core.policy import load_gates
from tests.conftest import REPO_ROOT


def test_shipped_gates_policy_loads() -> None:
    gates = load_gates(REPO_ROOT / "policies")
    assert gates.profiles["pre-commit"].block_at is Severity.HIGH
    assert gates.precedence[0] == "security-compliance"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ci:         {block_at: medium",
            "ci:         {block_at: hihg",
            r"gates.yaml:\d+: profiles.ci.block_at: Input should be",
        ),
        ("version: 1", "version: 7", r"gates.yaml:5: version"),
        ("baseline: droid-baseline.json", "baseline: droid-baseline.json\nbaselines: x", r"baselines: Extra inputs"),
        (
            "  run:        {block_at: high, warn_at: low, time_limit_s: 1800}\n",
            "",
            r"gates.yaml:\d+: profiles: Value error, missing profile\(s\) \['run'\]",
        ),
        ("time_limit_s: 30}", "time_limit_s: -1}", r"profiles.pre-commit.time_limit_s"),
        (
            "baseline: droid-baseline.json",
            "baseline: [unclosed",
            r"gates.yaml:\d+: malformed YAML",
        ),
        ("max_tool_calls: 12", "max_tool_calls: -1", r"gates.yaml:\d+: llm.max_tool_calls: Input should be"),
        ("  stream: true", "  stream: true\n  temperature: 2", r"gates.yaml:\d+: llm.temperature: Extra inputs"),
        (
            "  - rule: SEC004\n",
            "  - {rule: SEC001, paths: [a]}\n  - rule: SEC004\n",
            r"suppressions.0.reason: Field required",
        ),
    ],
)
def test_malformed_gates_policy_names_file_line_and_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    shutil.copytree(REPO_ROOT / "policies", tmp_path / "policies")
    path = tmp_path / "policies" / "gates.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(DroidError, match=message):
        load_gates(tmp_path / "policies", tmp_path)


def test_a_repository_without_gates_yaml_gets_the_built_in_one(tmp_path: Path) -> None:
    gates = load_gates(tmp_path)
    assert gates.suppressions == () and gates.profiles["pre-commit"].block_at == "high"
    assert gates.llm.max_tool_calls == 12 and gates.llm.stream  # no llm: section: the defaults


def test_the_llm_section_is_optional_key_by_key(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "policies", tmp_path / "policies")
    path = tmp_path / "policies" / "gates.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("llm:")] + "llm:\n  model: claude-haiku-4-5\n")
    gates = load_gates(tmp_path / "policies")
    assert gates.llm.model == "claude-haiku-4-5" and gates.llm.time_limit_s == 120.0
    assert load_gates(REPO_ROOT / "policies").llm.time_limit_s == 90


def test_a_broken_gates_yaml_is_never_replaced_by_the_built_in(tmp_path: Path) -> None:
    (tmp_path / "gates.yaml").symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(DroidError, match="policy file not found"):
        load_gates(tmp_path)
