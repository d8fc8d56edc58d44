from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.protocol import Droid
from droids.core.registry import Registry, load_registry
from tests.orchestrator.sample_droids import FindingDroid, make_droid


def test_builtins_load_with_cards_matching_their_rules() -> None:
    registry = load_registry()
    assert "security-compliance" in registry.names()
    for droid in registry:
        assert isinstance(droid, Droid)
        assert {r.id for r in droid.rules()} == set(droid.card.rules)
        assert all(r.description.strip() for r in droid.rules()), "a rule's docstring is its documentation"


def test_duplicate_names_fail_loudly(tmp_path: Path) -> None:
    first = make_droid(tmp_path / "a", "twin", FindingDroid)
    second = make_droid(tmp_path / "b", "twin", FindingDroid)
    with pytest.raises(DroidError, match="registered twice"):
        Registry([first, second])


def test_missing_card_fails_loudly(tmp_path: Path) -> None:
    cls = make_droid(tmp_path, "lost", FindingDroid)
    cls.CARD_PATH.unlink()
    with pytest.raises(DroidError, match=r"CARD\.md not found"):
        Registry([cls])


def test_card_rules_must_match_implemented_rules(tmp_path: Path) -> None:
    cls = make_droid(tmp_path, "liar", FindingDroid, rule="TST001")
    cls.CARD_PATH.write_text(cls.CARD_PATH.read_text().replace("[TST001]", "[TST001, TST002]"))
    with pytest.raises(DroidError, match="card lists"):
        Registry([cls])
