from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.protocol import Droid
from droids.core.registry import Registry, load_registry
from tests import secret_values as sv
from tests.conftest import REPO_ROOT
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


def test_a_rule_id_two_droids_claim_fails_loudly(tmp_path: Path) -> None:
    first = make_droid(tmp_path, "first", FindingDroid, rule="TST001")
    second = make_droid(tmp_path, "second", FindingDroid, rule="TST001")
    with pytest.raises(DroidError, match="rule id TST001 is already claimed by droid 'first'"):
        Registry([first, second])


def test_every_builtin_rule_id_is_listed_once() -> None:
    ids = [r.id for r in load_registry().rules()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_manifests_declare_commands_policy_files_and_services_without_importing_droid_code() -> None:
    """What `droid --help` and `droid policy` read comes from manifests: no card, no check module."""
    code = (
        "import sys\n"
        "from droids.core.manifest import commands, manifests\n"
        "found = manifests()\n"
        "print(sorted(commands(found)), sorted(f.name for m in found for f in m.policy_files))\n"
        "print(sorted(m for m in sys.modules if m.startswith('droids.') and m.count('.') > 1))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    names, loaded = proc.stdout.strip().splitlines()
    files = "['access.yaml', 'apex-published.yaml', 'data.yaml', 'devops.yaml', 'monitoring.yaml', 'perf.yaml']"
    assert names == f"['data', 'deploy', 'monitor', 'perf', 'security'] {files}"
    assert all(m.startswith("droids.core.") for m in eval(loaded)), loaded  # noqa: S307 - our own print


def test_a_service_is_found_by_name_and_works() -> None:
    screen = load_registry().service("secret-screen")
    assert screen is not None
    key = sv.aws_access_key(3)
    assert screen(f"nothing here\nAWS_ACCESS_KEY_ID = '{key}'\n") == [(2, "AWS Access Key")]
    assert load_registry().service("no-such-service") is None


@pytest.mark.parametrize(("kind", "key"), [("independence", "modules"), ("forbidden", "forbidden_modules")])
def test_every_droid_package_is_in_the_import_contracts(kind: str, key: str) -> None:
    """A droid missing from a contract could import another droid, or be imported by the
    orchestrator, unnoticed."""
    import tomllib

    from droids import BUILTIN

    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in config if c["type"] == kind)
    assert set(contract[key]) == set(BUILTIN)


def test_all_services_lists_every_droids_function_under_one_name() -> None:
    """The morning report asks every droid for its section: one "report-section" per built-in droid."""
    from droids import BUILTIN

    builders = load_registry().all_services("report-section")
    assert sorted(b.__module__.rsplit(".", 1)[0] for b in builders) == sorted(BUILTIN)
    assert all(b.__name__ == "build" for b in builders)
    assert load_registry().all_services("no-such-service") == []
