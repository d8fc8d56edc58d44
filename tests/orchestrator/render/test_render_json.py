from __future__ import annotations

import json

import pytest

from droids.core.models import SCHEMA
from orchestrator.render import render
from orchestrator.render.json_report import to_dict
from tests.orchestrator.render.reports import BLOWN, EVIDENCE, FINDINGS, empty_report, full_report

TOP_KEYS = [
    "schema", "tool", "mode", "request", "repo", "started_at", "duration_ms",
    "routing", "droids", "findings", "notes", "summary", "verdict",
]  # fmt: skip
DROID_KEYS = ["name", "status", "duration_ms", "findings", "metrics", "error", "notes"]
FINDING_KEYS = [
    "rule", "droid", "severity", "title", "message", "path", "line", "commit",
    "evidence", "fingerprint", "fix", "suppressed", "suppression", "preexisting",
]  # fmt: skip
APEX_KEYS = ["event_index", "ts", "value", "limit", "trading_day"]


def test_top_level_is_the_contract_in_order_then_the_extra_objects() -> None:
    doc = json.loads(render(full_report(), "json"))
    assert list(doc) == [*TOP_KEYS, "apex"]
    assert doc["schema"] == SCHEMA == "droid-report/1"
    assert doc["tool"] == {"name": "droid", "version": "0.1.0"}
    assert doc["apex"] == {"ruleset": "eod-50k", "final_equity": 47900.0, "trading_days": 3}
    assert doc["summary"] == {"info": 0, "low": 1, "medium": 1, "high": 1, "critical": 1}
    assert doc["verdict"] == "block"
    assert doc["routing"][0] == {
        "droid": "security-compliance",
        "reasons": ["trigger 'secret'", "path trading_core/config.py"],
    }


@pytest.mark.parametrize(
    ("name", "status", "count", "error"),
    [
        ("security-compliance", "ok", 4, None),
        ("apex-compliance", "ok", 1, None),
        ("perf-optimizer", "error", 0, "RuntimeError: boom"),
    ],
)
def test_droid_entries_count_their_findings(name: str, status: str, count: int, error: str | None) -> None:
    droids = {d["name"]: d for d in json.loads(render(full_report(), "json"))["droids"]}
    assert list(droids[name]) == DROID_KEYS
    assert (droids[name]["status"], droids[name]["findings"], droids[name]["error"]) == (status, count, error)


def test_findings_are_full_objects_with_string_severities_and_extra_keys() -> None:
    findings = json.loads(render(full_report(), "json"))["findings"]
    assert [f["fingerprint"] for f in findings] == [f.fingerprint for f in FINDINGS]
    assert [f["severity"] for f in findings] == ["critical", "medium", "low", "high", "high"]
    for f in findings:
        assert list(f)[: len(FINDING_KEYS)] == FINDING_KEYS
    apex = findings[4]
    assert list(apex)[len(FINDING_KEYS) :] == APEX_KEYS
    assert {k: apex[k] for k in APEX_KEYS} == {k: getattr(BLOWN, k) for k in APEX_KEYS}
    assert (apex["path"], apex["line"]) == (None, None)
    assert findings[0]["evidence"] == EVIDENCE
    assert [f["suppressed"] for f in findings] == [False, False, False, True, False]


def test_an_empty_run_is_still_a_whole_report() -> None:
    doc = json.loads(render(empty_report(), "json"))
    assert list(doc) == TOP_KEYS
    assert (doc["routing"], doc["droids"], doc["findings"], doc["verdict"]) == ([], [], [], "pass")
    assert set(doc["summary"].values()) == {0}


def test_an_extra_key_may_not_overwrite_a_contract_key() -> None:
    with pytest.raises(ValueError, match="'verdict'"):
        to_dict(full_report(extra={"verdict": "pass"}))
