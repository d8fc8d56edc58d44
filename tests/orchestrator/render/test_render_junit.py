from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from droids.core.models import DroidReport, RunReport, Severity
from orchestrator.render import render
from tests.orchestrator.render.reports import ACCEPTED, BLOWN, SECRET, WEAK_HASH, full_report


def _cases(xml: JUnitXml) -> dict[tuple[str, str], object]:
    return {(case.classname, case.name): case for suite in xml for case in suite}


def _expected_failures(report: RunReport) -> set[tuple[str, str]]:
    return {(f.droid, f.rule) for f in report.findings if not f.suppressed and f.severity.at_least(report.block_at)}


@pytest.mark.parametrize("block_at", list(Severity))
def test_testcases_fail_exactly_for_findings_at_or_above_the_threshold(block_at: Severity) -> None:
    report = full_report(block_at=block_at)
    xml = JUnitXml.fromstring(render(report, "junit").encode())
    failed = {key for key, case in _cases(xml).items() if any(isinstance(r, Failure) for r in case.result)}
    assert failed == _expected_failures(report)
    xml.update_statistics()
    assert xml.failures == len(failed)


def test_one_suite_per_droid_and_one_case_per_rule_checked() -> None:
    xml = JUnitXml.fromstring(render(full_report(), "junit").encode())
    suites = {suite.name: [case.name for case in suite] for suite in xml}
    assert suites == {
        "security-compliance": ["SEC001", "SEC002", "SEC003", "SEC004"],
        "apex-compliance": ["APX001", "APX002"],
        "perf-optimizer": ["run"],
    }
    assert {case.classname for suite in xml for case in suite if suite.name == "apex-compliance"} == {"apex-compliance"}


def test_failure_lists_its_findings_and_lower_ones_go_to_system_out() -> None:
    cases = _cases(JUnitXml.fromstring(render(full_report(), "junit").encode()))
    (failure,) = cases[("security-compliance", "SEC001")].result
    assert failure.text == f"trading_core/config.py:12 {SECRET.message}"
    assert failure.message == "1 finding at or above high"
    assert failure.type == "critical"
    # The suppressed SEC001 finding is reported, but only as output.
    assert (
        cases[("security-compliance", "SEC001")].system_out
        == f"[suppressed: {ACCEPTED.suppression}] legacy/old.py:3 {ACCEPTED.message}"
    )
    assert cases[("security-compliance", "SEC002")].result == []
    assert (
        cases[("security-compliance", "SEC002")].system_out == f"[medium] dir with space/a#b&c.py {WEAK_HASH.message}"
    )
    (apex_failure,) = cases[("apex-compliance", "APX001")].result
    assert apex_failure.text == f"(no file) {BLOWN.message}"
    assert cases[("apex-compliance", "APX002")].is_passed


@pytest.mark.parametrize(
    ("droid", "kind", "message"),
    [
        (
            DroidReport(name="perf-optimizer", status="error", error="RuntimeError: boom"),
            Error,
            "error: RuntimeError: boom",
        ),
        (DroidReport(name="perf-optimizer", status="timeout", error="over 30 s"), Error, "timeout: over 30 s"),
        (
            DroidReport(name="perf-optimizer", status="skipped", notes=["no matching files"]),
            Skipped,
            "no matching files",
        ),
    ],
    ids=["error", "timeout", "skipped"],
)
def test_a_droid_that_did_not_run_cleanly_gets_a_run_case(droid: DroidReport, kind: type, message: str) -> None:
    xml = JUnitXml.fromstring(render(full_report(droids=[droid], findings=[]), "junit").encode())
    (result,) = _cases(xml)[("perf-optimizer", "run")].result
    assert isinstance(result, kind)
    assert result.message == message


def test_plain_xml_parsers_read_it_even_with_control_characters_in_a_message() -> None:
    noisy = SECRET.model_copy(update={"message": "bell\x07 and escape\x1b[31m and NUL\x00 here"})
    out = render(full_report(findings=[noisy]), "junit")
    root = ET.fromstring(out.encode())  # noqa: S314 - our own output, not untrusted input
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.iter("testsuite")] == [
        "security-compliance",
        "apex-compliance",
        "perf-optimizer",
    ]
    (failure,) = root.iter("failure")
    assert failure.text == "trading_core/config.py:12 bell\ufffd and escape\ufffd[31m and NUL\ufffd here"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "1", "1")
