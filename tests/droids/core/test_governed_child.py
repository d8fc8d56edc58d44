"""A child that runs the governed trading core imports every `trading_core` module from the governed
folder: a module that folder lacks is missing, never filled in from droid's own bundled copy (which
an editable install of droid would otherwise do, through setuptools' import hook)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from droids.core.governed import child_command, child_env, core_import_dir

IN_REPO = "import pathlib\n\ndef in_repo(m):\n    return '/repo/' in str(pathlib.Path(m.__file__).resolve())\n\n"


def _core(root: Path, modules: dict[str, str]) -> Path:
    repo = root / "repo"
    for name, body in {"trading_core/__init__.py": "", **modules}.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(body)
    return repo


def _run(repo: Path, tmp: Path, code: str, *, pinned: bool = True) -> subprocess.CompletedProcess[str]:
    """`code` in a child started as droid starts one that runs the governed core."""
    tmp.mkdir(exist_ok=True)
    script = tmp / "probe_module.py"
    script.write_text(IN_REPO + code)
    core_dir = core_import_dir(repo, "trading_core", tmp) if pinned else None
    env = child_env(core_dir)
    env["PYTHONPATH"] = f"{env['PYTHONPATH']}:{tmp}"  # the probe module itself, after the core
    return subprocess.run(
        child_command("probe_module"), env=env, cwd=tmp, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("modules", "code", "expected"),
    [
        (  # the governed package and its own modules are the ones imported
            {"trading_core/errors.py": "WHERE = 'governed'\n"},
            "import trading_core.errors as e; print(e.WHERE, in_repo(e))",
            "governed True",
        ),
        (  # a subpackage of the governed core, and a module under it
            {"trading_core/sim/__init__.py": "", "trading_core/sim/plan.py": "X = 1\n"},
            "import trading_core.sim.plan as p; print(p.X, in_repo(p))",
            "1 True",
        ),
        (  # droid's bundled trading_core has `sim`; the governed one does not: missing, not borrowed
            {},
            "try:\n    import trading_core.sim\n    print('borrowed', trading_core.sim.__file__)\n"
            "except ModuleNotFoundError as exc:\n    print('missing', exc.name)",
            "missing trading_core.sim",
        ),
        (  # modules outside trading_core are not the pin's business
            {},
            "import json, droids.core.models; print('ok')",
            "ok",
        ),
    ],
)
def test_trading_core_modules_come_from_the_governed_folder_only(
    tmp_path: Path, modules: dict[str, str], code: str, expected: str
) -> None:
    repo = _core(tmp_path, modules)
    proc = _run(repo, tmp_path / "work", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected


def test_without_a_governed_folder_nothing_is_pinned(tmp_path: Path) -> None:
    """droid's bundled core governs (this repository): the child imports it as installed."""
    proc = _run(tmp_path, tmp_path / "work", "import trading_core.sim; print('bundled')", pinned=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "bundled"


def test_the_module_runs_as_main_with_its_arguments(tmp_path: Path) -> None:
    repo = _core(tmp_path, {})
    work = tmp_path / "work"
    work.mkdir()
    (work / "probe_module.py").write_text("import sys\nif __name__ == '__main__':\n    print(sys.argv[1:])\n")
    env = child_env(core_import_dir(repo, "trading_core", work))
    env["PYTHONPATH"] = f"{env['PYTHONPATH']}:{work}"
    proc = subprocess.run(
        child_command("probe_module", "--ticks", "5"), env=env, cwd=work, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['--ticks', '5']"
