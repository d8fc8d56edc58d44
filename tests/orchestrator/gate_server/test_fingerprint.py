"""The code fingerprint: what changes it and what does not, on a real copy of droid's packages."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestrator.gate_server.fingerprint import PACKAGES, code_fingerprint, package_parent


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(package_parent() / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _touch(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def _edit_a_module(root: Path) -> None:
    path = root / "orchestrator" / "graph.py"
    path.write_text(path.read_text() + "\n")


def _touch_a_droid(root: Path) -> None:
    _touch(root / "droids" / "core" / "git.py")


def _add_a_file(root: Path) -> None:
    (root / "trading_core" / "new_module.py").write_text("")


def _edit_a_builtin_policy(root: Path) -> None:
    found = sorted((root / "droids").rglob("*.yaml"))
    _touch(found[0])


def _bytecode(root: Path) -> None:
    (root / "orchestrator" / "__pycache__").mkdir(exist_ok=True)
    (root / "orchestrator" / "__pycache__" / "graph.cpython-311.pyc").write_bytes(b"\0")


@pytest.mark.parametrize(
    ("change", "changes_it"),
    [
        (_edit_a_module, True),
        (_touch_a_droid, True),
        (_add_a_file, True),
        (_edit_a_builtin_policy, True),
        (_bytecode, False),
    ],
)
def test_what_changes_the_fingerprint(packages: Path, change: Callable[[Path], None], changes_it: bool) -> None:
    before = code_fingerprint(packages)
    assert code_fingerprint(packages) == before  # stable
    change(packages)
    assert (code_fingerprint(packages) != before) is changes_it


def test_the_installed_code_has_one_fingerprint() -> None:
    assert code_fingerprint() == code_fingerprint(package_parent())
