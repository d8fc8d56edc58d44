"""Where a repository keeps its configuration: the policies folder chain and the governed core."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.settings import choose_policies, governed_core, tool_settings


def _repo(tmp_path: Path, *, own: bool = False, pyproject: str | None = None, env_dir: bool = False) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    if own:
        (repo / "policies").mkdir()
    if pyproject is not None:
        (repo / "pyproject.toml").write_text(pyproject)
        (repo / "config" / "droid").mkdir(parents=True)
    if env_dir:
        (tmp_path / "from-env").mkdir()
    return repo


# (--policies given?, DROID_POLICIES set?, [tool.droid] policies?, <repo>/policies?, how it is chosen)
CHAIN = [
    (True, True, True, True, "--policies"),
    (False, True, True, True, "DROID_POLICIES"),
    (False, False, True, True, "[tool.droid] policies"),
    (False, False, False, True, "<repo>/policies"),
    (False, False, False, False, "built-in defaults"),
]


@pytest.mark.parametrize(("given", "env", "tool", "own", "how"), CHAIN)
def test_the_first_configured_place_wins(
    tmp_path: Path, given: bool, env: bool, tool: bool, own: bool, how: str
) -> None:
    repo = _repo(
        tmp_path, own=own, pyproject='[tool.droid]\npolicies = "config/droid"\n' if tool else None, env_dir=True
    )
    (tmp_path / "cli").mkdir()
    environ = {"DROID_POLICIES": str(tmp_path / "from-env")} if env else {}
    choice = choose_policies(repo, tmp_path / "cli" if given else None, environ, tmp_path)
    assert choice.how == how
    expected = {
        "--policies": tmp_path / "cli",
        "DROID_POLICIES": tmp_path / "from-env",
        "[tool.droid] policies": repo / "config" / "droid",
        "<repo>/policies": repo / "policies",
        "built-in defaults": repo / "policies",
    }[how]
    assert choice.folder.resolve() == expected.resolve()


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.droid]\npolicy = 'x'\n", "tool.droid.policy: unknown key"),
        ("[tool.droid]\npolicies = 3\n", "tool.droid.policies: expected a folder path as a string"),
        ("[tool.droid\n", "not valid TOML"),
        ("[tool]\ndroid = 1\n", "tool.droid: expected a table"),
        ("[tool.droid]\npolicies = 'nowhere'\n", r"pyproject.toml \[tool.droid\] policies .*nowhere: no such folder"),
        ("[tool.droid]\ntrading-core = 'src/core'\n", "tool.droid.trading-core: src/core is not a package folder"),
    ],
)
def test_a_bad_tool_droid_table_is_one_line_naming_the_key(tmp_path: Path, pyproject: str, message: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(pyproject)
    with pytest.raises(DroidError, match=message) as caught:
        choose_policies(repo, None, {}, tmp_path)
        governed_core(repo)
    assert "\n" not in str(caught.value)


def test_a_named_policies_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(DroidError, match=r"--policies .*missing: no such folder"):
        choose_policies(tmp_path, Path("missing"), {}, tmp_path)


@pytest.mark.parametrize(
    ("files", "pyproject", "expected"),
    [
        ({}, None, None),
        ({"trading_core/notes.py": ""}, None, None),  # a folder that is not a package is not a core
        ({"trading_core/__init__.py": ""}, None, "trading_core"),
        ({"src/desk/core/__init__.py": ""}, "[tool.droid]\ntrading-core = 'src/desk/core'\n", "src/desk/core"),
    ],
)
def test_the_governed_core(tmp_path: Path, files: dict[str, str], pyproject: str | None, expected: str | None) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    if pyproject:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    assert governed_core(tmp_path) == expected
    assert tool_settings(tmp_path) == ({"trading-core": "src/desk/core"} if pyproject else {})
