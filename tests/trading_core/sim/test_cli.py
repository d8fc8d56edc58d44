"""`python -m trading_core.sim` end to end in a subprocess: files, summary, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trading_core.sim", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_five_days_offline_pass(tmp_path: Path) -> None:
    proc = run("--days", "5", "--seed", "7", "--out", str(tmp_path / "out"), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["apex_check"] == "pass" and summary["days"] == 5 and summary["violations"] == []
    for name in ("journal.csv", "equity.csv", "trades.csv", "risk_events.csv"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert summary["latency"]["model"]["count"] > 0


def test_bad_policy_is_one_line_and_exit_2(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(REPO_ROOT / "policies", policies)
    (policies / "sim.yaml").write_text((policies / "sim.yaml").read_text().replace("days: 5", "days: many"))
    proc = run("--policies", str(policies), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "sim.yaml" in proc.stderr and "days" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "words"), [(["--days", "0"], "--days"), (["--days", "999"], "days"),
                                             (["--seed", "-1"], "seed")])  # fmt: skip
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    proc = run(*args, "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and words in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.slow
def test_droid_sim_run_two_days_passes_and_says_what_judged(tmp_path: Path) -> None:
    from tests.orchestrator.cli.helpers import droid

    result = droid("sim", "run", "--days", "2", "--seed", "7", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.code == 0, result.out + result.err  # two profitable days break no account rule
    lines = result.out.splitlines()
    assert lines[0].startswith("simulated 2 trading day(s) of generated market (random seed 7): ")
    assert "apex check of journal.csv under rule set seed, account 50k: pass" in lines
    payout = next(line for line in lines if line.startswith("payout (information, not a rule): "))
    assert "best day" in payout
    summary = droid("sim", "run", "--days", "2", "--out", str(tmp_path / "o2"), "--format", "json", cwd=tmp_path).json()
    assert summary["violations"] == [] and summary["payout"]["requests"] == 0
