"""JUnit XML for CI test-report views, built with junitparser.

One `<testsuite>` per droid, one `<testcase classname=droid name=rule>` per rule the droid checked
(plus any rule it reported without declaring it). A testcase fails when it has an unsuppressed
finding at or above the run's blocking threshold; the failure text lists them as `path:line message`.
Findings below the threshold and suppressed ones go to the testcase's `<system-out>`. A droid that
errored or timed out gets an extra `run` testcase holding an `<error>`; a skipped one a `<skipped>`.
"""

from __future__ import annotations

import re
from io import BytesIO

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from droids.core.models import DroidReport, Finding, RunReport
from orchestrator.render._common import droid_problem, location

RUN_CASE = "run"

# XML 1.0 cannot carry these code points at all, not even escaped; a stray control byte in a
# message must not make the whole report unparseable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(f: Finding) -> str:
    where = location(f) or "(no file)"
    return _xml_safe(f"{where} {f.message}")


def _rule_case(report: RunReport, droid: str, rule: str, findings: list[Finding]) -> TestCase:
    case = TestCase(name=_xml_safe(rule), classname=_xml_safe(droid))
    active = [f for f in findings if not f.suppressed]
    stopping = [f for f in active if f.severity.at_least(report.block_at)]
    if stopping:
        worst = max(stopping, key=lambda f: f.severity.rank).severity.value
        count = f"{len(stopping)} finding{'s' if len(stopping) != 1 else ''}"
        failure = Failure(f"{count} at or above {report.block_at.value}", worst)
        failure.text = "\n".join(_line(f) for f in stopping)
        case.result = [failure]
    below = [f"[{f.severity.value}] {_line(f)}" for f in active if not f.severity.at_least(report.block_at)]
    below += [
        f"[suppressed{': ' + _xml_safe(f.suppression) if f.suppression else ''}] {_line(f)}"
        for f in findings
        if f.suppressed
    ]
    if below:
        case.system_out = "\n".join(below)
    return case


def _run_case(droid: DroidReport) -> TestCase | None:
    if droid.status in ("error", "timeout"):
        result: Error | Skipped = Error(_xml_safe(droid_problem(droid)), droid.status)
    elif droid.status == "skipped":
        result = Skipped(_xml_safe(droid.error or "; ".join(droid.notes) or "skipped"))
    else:
        return None
    case = TestCase(name=RUN_CASE, classname=_xml_safe(droid.name))
    case.result = [result]
    return case


def _suite(report: RunReport, name: str, droid: DroidReport | None) -> TestSuite:
    findings = [f for f in report.findings if f.droid == name]
    rules = list(droid.rules_checked) if droid else []
    rules += [r for r in dict.fromkeys(f.rule for f in findings) if r not in rules]
    suite = TestSuite(_xml_safe(name))
    cases = [_rule_case(report, name, rule, [f for f in findings if f.rule == rule]) for rule in rules]
    run_case = _run_case(droid) if droid else None
    suite.add_testcases([*cases, run_case] if run_case else cases)
    return suite


def render(report: RunReport) -> str:
    xml = JUnitXml("droid")
    droids = {d.name: d for d in report.droids}
    names = list(droids) + [n for n in dict.fromkeys(f.droid for f in report.findings) if n not in droids]
    suites = {name: _suite(report, name, droids.get(name)) for name in names}
    for suite in suites.values():
        xml.add_testsuite(suite)
    xml.update_statistics()
    # update_statistics() sums testcase times (we have none per rule); the droids' own durations are truer.
    for name, suite in suites.items():
        suite.time = droids[name].duration_ms / 1000 if name in droids else 0.0
    xml.time = report.duration_ms / 1000
    buffer = BytesIO()
    xml.write(buffer, pretty=True)
    return buffer.getvalue().decode("utf-8")
