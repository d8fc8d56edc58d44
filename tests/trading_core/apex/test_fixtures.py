"""Each hand-written journal in tests/fixtures/journals/ yields exactly its hand-written violations,
in all three file formats, from both faces of the engine (vectorised evaluate and the event monitor),
whole or streamed in chunks of one, two or three events.

The expectations judge consistency as a payout request after the last event (`--payout`); without
one, APX004 is not a violation and everything else is the same."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.trading_core.apex.conftest import JOURNALS, policy
from trading_core.apex.evaluate import evaluate, evaluate_chunks
from trading_core.apex.journal_files import journal_chunks, read_journal
from trading_core.apex.monitor import ApexMonitor
from trading_core.apex.result import ComplianceResult
from trading_core.apex.spec import compile_spec

EXPECTATIONS = sorted(JOURNALS.glob("*.expected.yaml"))


def _load(expected: Path) -> dict[str, Any]:
    return yaml.safe_load(expected.read_text())


def _to_jsonl(src: Path, dst: Path) -> Path:
    with src.open(newline="") as handle, dst.open("w") as out:
        for row in csv.DictReader(handle):
            out.write(json.dumps({k: v for k, v in row.items() if v != ""}) + "\n")
    return dst


def _to_parquet(src: Path, dst: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with src.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {k: [r[k] or None for r in rows] for k in rows[0]}
    columns["qty"] = [int(q) if q else None for q in columns["qty"]]
    pq.write_table(pa.table(columns), dst)
    return dst


def _check(result: ComplianceResult, spec: dict[str, Any], *, payout: bool) -> None:
    expected = [v for v in spec["violations"] if payout or v["rule"] != "APX004"]
    got = [(v.rule, v.event_index, v.trading_day) for v in result.violations]
    want = [(v["rule"], v["event_index"], str(v["trading_day"])) for v in expected]
    assert got == want
    assert result.counts == {
        rule: sum(1 for v in expected if v["rule"] == rule) for rule in {v["rule"] for v in expected}
    }
    for v, w in zip(result.violations, expected, strict=True):
        for key in ("symbol", "value", "limit"):
            if key in w:
                assert getattr(v, key) == pytest.approx(w[key], abs=1e-9), (v.rule, key)
        assert any(word in v.message for word in ("limit", "allows", "level", "threshold")), v.message
    summary = result.summary.to_dict()
    for key, value in spec.get("summary", {}).items():
        assert summary[key] == (pytest.approx(value) if isinstance(value, float | int) else value), key


@pytest.mark.parametrize("expected", EXPECTATIONS, ids=lambda p: p.name.removesuffix(".expected.yaml"))
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("payout", [True, False], ids=["payout", "no-payout"])
def test_fixture_matches_its_expectation(expected: Path, fmt: str, payout: bool, tmp_path: Path) -> None:
    spec = _load(expected)
    pol = policy(spec["ruleset"], spec["account"])
    source = JOURNALS / spec["journal"]
    if fmt == "jsonl":
        source = _to_jsonl(source, tmp_path / "journal.jsonl")
    elif fmt == "parquet":
        source = _to_parquet(source, tmp_path / "journal.parquet")
    journal = read_journal(source, instruments=pol.instruments)
    result = evaluate(journal, pol, payout_at_end=payout)
    _check(result, spec, payout=payout)
    monitor = ApexMonitor(compile_spec(pol), payout_at_end=payout)
    for event in journal.events():
        monitor.step(event)
    assert monitor.result() == result
    for size in (1, 2, 3):
        chunks = journal_chunks(source, instruments=pol.instruments, chunk_events=size)
        assert evaluate_chunks(chunks, [compile_spec(pol)], payout_at_end=payout) == [result], size


def test_there_is_a_fixture_per_scenario_of_the_issue() -> None:
    names = {p.name.removesuffix(".expected.yaml") for p in EXPECTATIONS}
    assert {"dd_wick", "dst_deadline", "evening_session", "consistency", "micro_mini", "hedge", "clean_week"} <= names
