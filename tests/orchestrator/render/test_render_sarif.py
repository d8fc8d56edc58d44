from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from droids.core.models import DroidReport, Finding, RunReport, Severity
from orchestrator.render import render
from tests.orchestrator.render.reports import (
    ACCEPTED,
    BLOWN,
    DEBUG_PRINT,
    EVIDENCE,
    FINDINGS,
    SECRET,
    WEAK_HASH,
    empty_report,
    full_report,
    repo_uri,
    sarif_schema,
)

# RFC 3986 characters of a URI reference; `%` only as the start of a percent-escape.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def _sarif(report: RunReport) -> dict[str, Any]:
    return json.loads(render(report, "sarif"))


def _run(report: RunReport) -> dict[str, Any]:
    doc = _sarif(report)
    assert len(doc["runs"]) == 1
    return doc["runs"][0]


def _results(report: RunReport) -> dict[str, dict[str, Any]]:
    """Results keyed by fingerprint."""
    return {r["partialFingerprints"]["droidFingerprint/v1"]: r for r in _run(report)["results"]}


def _every_severity() -> RunReport:
    findings = [SECRET.model_copy(update={"severity": s, "fingerprint": f"sha256:{s.value}"}) for s in Severity]
    return full_report(findings=findings)


@pytest.mark.parametrize(
    "build",
    [full_report, empty_report, _every_severity, lambda: full_report(droids=[], routing=[], rules=[])],
    ids=["full", "empty", "every-severity", "findings-without-declared-rules"],
)
def test_validates_against_the_official_schema(build) -> None:
    schema = sarif_schema()
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    doc = _sarif(build())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["version"] == "2.1.0"
    for result in doc["runs"][0].get("results", []):
        for location in result.get("locations", []):
            assert URI_REFERENCE.match(location["physicalLocation"]["artifactLocation"]["uri"])


@pytest.mark.parametrize(
    ("severity", "level"),
    [
        (Severity.CRITICAL, "error"),
        (Severity.HIGH, "error"),
        (Severity.MEDIUM, "warning"),
        (Severity.LOW, "note"),
        (Severity.INFO, "note"),
    ],
)
def test_levels_follow_severity(severity: Severity, level: str) -> None:
    assert _results(_every_severity())[f"sha256:{severity.value}"]["level"] == level


def test_the_driver_lists_every_rule_and_results_point_at_theirs() -> None:
    run = _run(full_report())
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("droid", "0.1.0")
    rules = driver["rules"]
    # Declared rules first (even SEC004, which found nothing), then rules only a finding names.
    assert [r["id"] for r in rules] == ["SEC001", "SEC002", "SEC004", "APX001", "SEC003"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    sec001 = rules[0]
    assert sec001["name"] == "HardCodedSecret"
    assert sec001["shortDescription"]["text"] == "Hard-coded secret"
    assert sec001["fullDescription"]["text"] == "A credential is written into a tracked file."
    assert "Load it from the environment or a secret store." in sec001["help"]["text"]
    assert sec001["defaultConfiguration"]["level"] == "error"
    assert rules[2]["defaultConfiguration"]["level"] == "note"


@pytest.mark.parametrize(
    ("finding", "uri", "start_line"),
    [
        (SECRET, "trading_core/config.py", 12),
        (WEAK_HASH, "dir%20with%20space/a%23b%26c.py", None),
        (DEBUG_PRINT, "trading_core/orders.py", 40),
    ],
)
def test_physical_locations_are_repo_relative(finding: Finding, uri: str, start_line: int | None) -> None:
    (location,) = _results(full_report())[finding.fingerprint]["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": uri, "uriBaseId": "%SRCROOT%"}
    assert physical.get("region", {}).get("startLine") == start_line


def test_a_finding_without_a_path_has_no_location_but_keeps_its_extra_keys() -> None:
    result = _results(full_report())[BLOWN.fingerprint]
    assert "locations" not in result
    assert result["message"]["text"] == BLOWN.message
    props = result["properties"]
    assert (props["event_index"], props["trading_day"], props["value"], props["limit"]) == (
        17,
        "2026-03-09",
        47900.0,
        48000.0,
    )


def test_only_suppressed_findings_carry_suppressions() -> None:
    results = _results(full_report())
    for f in FINDINGS:
        expected = [{"kind": "external", "justification": ACCEPTED.suppression}] if f.suppressed else None
        assert results[f.fingerprint].get("suppressions") == expected
    assert results[SECRET.fingerprint]["properties"]["evidence"] == EVIDENCE


def test_the_source_root_is_the_repo() -> None:
    assert _run(full_report())["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo_uri()}}


@pytest.mark.parametrize(
    ("droids", "successful"),
    [
        ([DroidReport(name="security-compliance")], True),
        ([DroidReport(name="security-compliance"), DroidReport(name="perf-optimizer", status="skipped")], True),
        ([DroidReport(name="perf-optimizer", status="error", error="RuntimeError: boom")], False),
        ([DroidReport(name="perf-optimizer", status="timeout", error="over 30 s")], False),
    ],
    ids=["ok", "skipped", "error", "timeout"],
)
def test_a_failed_droid_makes_the_invocation_unsuccessful(droids: list[DroidReport], successful: bool) -> None:
    (invocation,) = _run(full_report(droids=droids))["invocations"]
    assert invocation["executionSuccessful"] is successful
    notes = [n["message"]["text"] for n in invocation.get("toolExecutionNotifications", [])]
    failed = [d for d in droids if d.status in ("error", "timeout")]
    assert notes == [f"{d.name}: {d.status}: {d.error}" for d in failed]
    assert invocation["startTimeUtc"] == "2026-11-21T20:00:00Z"
