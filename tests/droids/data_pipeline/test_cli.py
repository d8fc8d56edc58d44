"""`droid data check | ingest | export` through the real CLI entry point (exit codes 0, 1, 2; one line
on bad input), in-process; and the droid in `droid gate --staged` and `droid audit` as subprocesses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from orchestrator.cli import main as cli_main
from tests.conftest import REPO_ROOT, git
from tests.droids.data_pipeline.bars_factory import write_csv, write_parquet
from tests.orchestrator.cli.helpers import droid


def cli(monkeypatch, capsys, *args: str, cwd: Path, policies: Path | None = None) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["droid", "--policies", str(policies or REPO_ROOT / "policies"), *args])
    with pytest.raises(SystemExit) as done:
        cli_main.run()
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def test_check_clean_file_passes(monkeypatch, capsys, tmp_path: Path, bars) -> None:
    write_csv(tmp_path / "es.csv", bars)
    code, out, _ = cli(monkeypatch, capsys, "data", "check", "es.csv", "-f", "json", cwd=tmp_path)
    assert code == 0
    report = json.loads(out)
    assert report["droids"][0]["metrics"]["data_bars"] == len(bars["ts"])
    assert {f["rule"] for f in report["findings"]} <= {"DATA012"}


def test_check_findings_block_with_exit_1(monkeypatch, capsys, tmp_path: Path, bars) -> None:
    bars["high"][10] = bars["low"][10] - 1
    write_parquet(tmp_path / "data" / "es.parquet", bars)
    code, out, _ = cli(monkeypatch, capsys, "data", "check", "data", cwd=tmp_path)
    assert code == 1
    assert "DATA004" in out and "(row 11)" in out


def test_check_bad_row_is_exit_2_and_one_line(monkeypatch, capsys, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("ts,symbol,open,high,low,close,volume\n2025-11-24T15:00:00,ES,1,1,1,1,1\n")
    code, out, err = cli(monkeypatch, capsys, "data", "check", "bad.csv", cwd=tmp_path)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "bad.csv:2: ts '2025-11-24T15:00:00': no UTC offset" in err


def test_check_without_paths_or_catalog_says_what_to_give(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = cli(monkeypatch, capsys, "data", "check", cwd=tmp_path)
    assert code == 2 and "give files or folders, or name a catalog" in err


def test_ingest_check_and_export(monkeypatch, capsys, tmp_path: Path, td_env, policies: Path, key: str) -> None:
    (policies / "data.yaml").write_text("version: 1\ncatalog: cat\ntwelvedata: {credits_per_minute: 1000}\n")
    code, out, err = cli(
        monkeypatch, capsys, "data", "ingest", "--check", "--symbol", "ES", cwd=tmp_path, policies=policies
    )
    assert code == 0 and "answers" in out and "credits this minute" in out and "ES: served as 'ES'" in out
    args = ("data", "ingest", "--symbol", "ES", "--start", "2025-11-24", "--end", "2025-11-25", "-f", "json")
    code, out, err = cli(monkeypatch, capsys, *args, cwd=tmp_path, policies=policies)
    assert code == 0, err
    (report,) = json.loads(out)
    assert report["bars_fetched"] > 2000 and report["partitions"]
    assert key not in out + err
    code, out, err = cli(monkeypatch, capsys, "data", "check", "cat", cwd=tmp_path, policies=policies)
    assert code == 0, out
    code, out, _ = cli(monkeypatch, capsys, "data", "export", "--nautilus", "nt", cwd=tmp_path, policies=policies)
    assert code == 0 and "exported" in out and (tmp_path / "nt/data/bar/ES.XCME-1-MINUTE-LAST-EXTERNAL").is_dir()
    for f in (tmp_path / "cat").rglob("*"):
        assert not f.is_file() or key.encode() not in f.read_bytes()


def test_ingest_with_a_wrong_key_is_exit_2_without_the_key(monkeypatch, capsys, tmp_path, td_env, key) -> None:
    wrong = key[::-1]
    monkeypatch.setenv("TWELVEDATA_API_KEY", wrong)
    args = ("data", "ingest", "--symbol", "ES", "--start", "2025-11-24", "--end", "2025-11-24", "--catalog", "cat")
    code, out, err = cli(monkeypatch, capsys, *args, cwd=tmp_path)
    assert code == 2 and "API key was refused (401)" in err
    assert wrong not in out + err and key not in out + err
    assert not (tmp_path / "cat").exists()
    code, out, err = cli(monkeypatch, capsys, "data", "ingest", "--check", cwd=tmp_path)
    assert code == 2 and wrong not in out + err


def test_ingest_unknown_symbol_and_bad_date(monkeypatch, capsys, tmp_path: Path, td_env) -> None:
    code, _, err = cli(monkeypatch, capsys, "data", "ingest", "--symbol", "ZZ", "--catalog", "c", cwd=tmp_path)
    assert code == 2 and "--symbol: unknown symbol 'ZZ'" in err
    code, _, err = cli(monkeypatch, capsys, "data", "ingest", "--start", "24/11/2025", "--catalog", "c", cwd=tmp_path)
    assert code == 2 and "--start '24/11/2025': expected a date YYYY-MM-DD" in err


def test_policy_check_names_file_line_and_key(monkeypatch, capsys, tmp_path: Path) -> None:
    import shutil

    policies = tmp_path / "all-policies"
    shutil.copytree(REPO_ROOT / "policies", policies)
    (policies / "data.yaml").write_text("version: 1\ncleaning:\n  gaps: {close: backfill}\n")
    code, _, err = cli(monkeypatch, capsys, "policy", "check", cwd=tmp_path, policies=policies)
    assert code == 2 and "data.yaml:3: cleaning.gaps.close" in err


@pytest.mark.slow
def test_gate_staged_routes_a_data_file_and_blocks(git_repo: Path, week_bars) -> None:
    bars = {k: v.copy() for k, v in week_bars.items()}
    bars["close"][50] = 5000.1
    bars["volume"][60] = -1
    write_csv(git_repo / "data" / "es.csv", bars)
    git(git_repo, "add", "data/es.csv")
    res = droid("gate", "--staged", "-f", "json", cwd=git_repo)
    assert res.code == 1, res.err
    report = res.json()
    routed = {r["droid"]: r["reasons"] for r in report["routing"]}
    assert "path data/es.csv" in routed["data-pipeline"]
    assert {f["rule"] for f in report["findings"] if f["droid"] == "data-pipeline"} >= {"DATA005", "DATA006"}


@pytest.mark.slow
def test_audit_without_a_catalog_is_one_info_line(git_repo: Path) -> None:
    res = droid("audit", "--out", str(git_repo / "out"), "-f", "json", cwd=git_repo)
    assert res.code == 0, res.err
    dp = next(d for d in res.json()["droids"] if d["name"] == "data-pipeline")
    assert [n for n in dp["notes"] if n.startswith("catalog:")] == [
        "catalog: none named in policies/data.yaml (catalog:), so no catalog was checked"
    ]
