"""What `pip install .` installs: every file of droid's packages that git tracks is in the wheel (a
template or a default policy left out works from a clone and fails for a team that installed droid)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, git

PACKAGES = ("droids/", "orchestrator/", "trading_core/")


@pytest.mark.slow
def test_the_wheel_holds_every_tracked_file_of_the_packages(tmp_path: Path) -> None:
    tracked = [p for p in git(REPO_ROOT, "ls-files", "-z").split("\0") if p.startswith(PACKAGES)]
    src = tmp_path / "src"
    for rel in [*tracked, "pyproject.toml", "README.md"]:  # the work tree's files, as a clone has them
        if (REPO_ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / rel, src / rel)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [rel for rel in tracked if (REPO_ROOT / rel).is_file() and rel not in names]
    assert missing == []
