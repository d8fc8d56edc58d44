"""End to end: `droid apex check` on every journal format and every rule-set preset."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.orchestrator.cli.helpers import droid

JOURNALS = REPO_ROOT / "tests" / "fixtures" / "journals"


def _rows(name: str) -> list[dict[str, str]]:
    with (JOURNALS / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


def _write(rows: list[dict[str, str]], dest: Path) -> Path:
    """The same journal as CSV, JSON Lines or Parquet (by `dest`'s suffix)."""
    if dest.suffix == ".csv":
        with dest.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    elif dest.suffix == ".jsonl":
        lines = [json.dumps({k: (int(v) if k == "qty" else v) for k, v in r.items() if v != ""}) for r in rows]
        dest.write_text("\n".join(lines) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "ts": [r["ts"] for r in rows],
                "kind": [r["kind"] for r in rows],
                "symbol": [r["symbol"] for r in rows],
                "qty": pa.array([int(r["qty"]) if r["qty"] else None for r in rows], pa.int64()),
                "price": [r["price"] for r in rows],
                "fee": [r["fee"] or None for r in rows],
            }
        )
        pq.write_table(table, dest)
    return dest


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_format_gives_the_same_violations(tmp_path: Path, suffix: str) -> None:
    journal = _write(_rows("dd_wick.csv"), tmp_path / f"journal{suffix}")
    result = droid("apex", "check", str(journal), "--format", "json", cwd=tmp_path)
    assert result.code == 1, result.err
    report = result.json()
    got = [(f["rule"], f["event_index"], f["trading_day"]) for f in report["findings"]]
    assert got == [
        ("APX010", 2, "2026-03-10"),
        ("APX001", 3, "2026-03-10"),
        ("APX011", 3, "2026-03-10"),
        ("APX010", 7, "2026-03-10"),
        ("APX011", 7, "2026-03-10"),
    ]
    assert report["apex"]["final_equity"] == 43000
    for f in report["findings"]:
        assert {"ts", "value", "limit", "trading_day", "event_index"} <= set(f)


@pytest.mark.parametrize("ruleset", ["seed", "apex-3.0", "apex-4.0"])
@pytest.mark.parametrize("account", ["25k", "50k", "300k"])
def test_every_preset_runs(tmp_path: Path, ruleset: str, account: str) -> None:
    result = droid(
        "apex",
        "check",
        str(JOURNALS / "clean_week.csv"),
        "--ruleset",
        ruleset,
        "--account",
        account,
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.code in (0, 1), result.err
    report = result.json()
    assert (report["apex"]["ruleset"], report["apex"]["account"]) == (ruleset, account)


def test_clean_week_passes_with_text_summary(tmp_path: Path) -> None:
    result = droid("apex", "check", str(JOURNALS / "clean_week.csv"), cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith("PASS: ruleset seed, account 50k")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ts,kind,symbol,qty\n", "price"),
        ("ts,kind,symbol,qty,price,fee\n2026-03-10T09:35:00,fill,ES,1,5000,0\n", "row 2"),
        ("ts,kind,symbol,qty,price,fee\n2026-03-10T09:35:00-04:00,fill,ZZ,1,5000,0\n", "symbol"),
        ("ts,kind,symbol,qty,price,fee\n2026-03-10T09:35:00-04:00,fill,ES,1.5,5000,0\n", "qty"),
        ("", "empty"),
    ],
)
def test_bad_journal_is_exit_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    journal = tmp_path / "j.csv"
    journal.write_text(content)
    result = droid("apex", "check", str(journal), cwd=tmp_path)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"), [(["--ruleset", "apex-9"], "unknown ruleset"), (["--account", "7k"], "unknown account")]
)
def test_unknown_preset_is_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = droid("apex", "check", str(JOURNALS / "clean_week.csv"), *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err
