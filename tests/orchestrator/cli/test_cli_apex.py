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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


HEADER = "ts,kind,symbol,qty,price,fee"
CONSISTENCY = (JOURNALS / "consistency.csv").read_text()  # best day 40 % of the profit


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "args", "code", "rules"),
    [
        (CONSISTENCY, [], 0, []),  # no payout asked: consistency is information
        (CONSISTENCY, ["--payout"], 1, [("APX004", 5)]),  # as if asked after the last event
        (CONSISTENCY + "2026-03-18T16:00:00-04:00,payout,,,,\n", [], 1, [("APX004", 6)]),  # a recorded request
    ],
    ids=["information", "--payout", "payout row"],
)
def test_consistency_is_judged_only_at_a_payout_request(
    tmp_path: Path, text: str, args: list[str], code: int, rules: list[tuple[str, int]]
) -> None:
    journal = tmp_path / "journal.csv"
    journal.write_text(text)
    result = droid("apex", "check", str(journal), *args, "--format", "json", cwd=tmp_path)
    assert result.code == code, result.err
    report = result.json()
    assert [(f["rule"], f["event_index"]) for f in report["findings"]] == rules
    payout = report["apex"]["payout"]
    assert (payout["eligible"], payout["best_day_share"], payout["days_needed"]) == (False, 0.4, 1)
    text_out = droid("apex", "check", str(journal), *args, cwd=tmp_path).out
    assert "payout: no payout yet: best day 2026-03-18 made $400.00" in text_out


def _wick(tmp_path: Path) -> Path:
    """Up $5,000 intraday, then down to $49,500: 10 % below the intraday peak (seed) but far above an
    end-of-day threshold of $2,500 (apex-4.0)."""
    journal = tmp_path / "wick.csv"
    journal.write_text(
        f"{HEADER}\n2026-03-10T10:00:00-04:00,fill,ES,5,5000.00,0\n2026-03-10T10:30:00-04:00,mark,ES,,5020.00,\n"
        "2026-03-10T11:00:00-04:00,mark,ES,,4998.00,\n2026-03-10T11:05:00-04:00,fill,ES,-5,4998.00,0\n"
    )
    return journal


def test_the_text_names_the_rule_set_and_why_another_judges_differently(tmp_path: Path) -> None:
    result = droid("apex", "check", str(_wick(tmp_path)), cwd=tmp_path)
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    assert any(line.startswith("judged by rule set seed (The seed documents") for line in lines)
    at = lines.index("under apex-4.0 it passes (violations here -> there):")
    explained = " ".join(lines[at + 1 :])
    assert explained.startswith("  APX001 1 -> 0, APX010 1 -> 0, APX011 1 -> 0; drawdown: seed 10 % below the intraday")
    assert "apex-4.0 $2,500.00 below the best session close (EOD)" in explained
    assert "under apex-3.0: judged the same (fails)" in lines


def test_json_lists_the_other_rule_sets_and_no_compare_skips_them(tmp_path: Path) -> None:
    journal = str(_wick(tmp_path))
    report = droid("apex", "check", journal, "--format", "json", cwd=tmp_path).json()
    others = {o["ruleset"]: o for o in report["apex"]["other_rulesets"]}
    assert others["apex-4.0"]["passed"] and not others["apex-3.0"]["passed"]
    assert [d["rule"] for d in others["apex-4.0"]["differences"]] == ["APX001", "APX010", "APX011"]
    assert report["apex"]["judged_by"].startswith("rule set seed")
    bare = droid("apex", "check", journal, "--no-compare", "--format", "json", cwd=tmp_path).json()
    assert bare["apex"]["other_rulesets"] == [] and bare["findings"] == report["findings"]


def test_max_per_rule_bounds_the_list_and_counts_everything(tmp_path: Path) -> None:
    rows = [HEADER]
    for day in range(9, 14):  # a position held through the deadline on five days: APX002 five times
        rows += [
            f"2026-03-{day:02d}T16:00:00-04:00,fill,ES,1,5000.00,0",
            f"2026-03-{day:02d}T17:10:00-04:00,fill,ES,-1,5000.00,0",
        ]
    journal = tmp_path / "journal.csv"
    journal.write_text("\n".join(rows) + "\n")
    report = droid("apex", "check", str(journal), "--max-per-rule", "2", "--format", "json", cwd=tmp_path)
    assert report.code == 1
    doc = report.json()
    assert [f["rule"] for f in doc["findings"]] == ["APX002", "APX002"]
    assert doc["apex"]["violation_counts"] == {"APX002": 5} and doc["apex"]["truncated"] is True
    text = droid("apex", "check", str(journal), "--max-per-rule", "2", "--no-compare", cwd=tmp_path).out
    assert "5 Apex violation(s) (the first 2 of each rule listed)" in text


def _big(tmp_path: Path, n: int) -> list[str]:
    """n mark rows a second apart: more than one streamed batch."""
    return [HEADER] + [
        f"2026-03-10T{10 + k // 3600:02d}:{k // 60 % 60:02d}:{k % 60:02d}Z,mark,ES,,5000.00," for k in range(n)
    ]


@pytest.mark.parametrize(
    ("row", "spoil", "message"),
    [
        (40_000, lambda line: line.replace("5000.00", "5000.10"), "row 40002: price: 5000.10 is not a multiple"),
        (30_000, lambda line: line.replace("T18:", "T09:"), "row 30002: ts: 2026-03-10T09:20:00Z is earlier"),
    ],
    ids=["bad cell", "disorder"],
)
def test_a_bad_row_deep_in_a_big_journal_is_exit_2_naming_it(tmp_path: Path, row: int, spoil, message: str) -> None:
    lines = _big(tmp_path, 45_000)
    lines[row + 1] = spoil(lines[row + 1])
    journal = tmp_path / "big.csv"
    journal.write_text("\n".join(lines) + "\n")
    result = droid("apex", "check", str(journal), cwd=tmp_path)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_help_says_sort_holds_the_journal_in_memory(tmp_path: Path) -> None:
    result = droid("apex", "check", "--help", cwd=tmp_path)
    assert result.code == 0
    assert "held in memory" in " ".join(result.out.split()) and "--payout" in result.out
