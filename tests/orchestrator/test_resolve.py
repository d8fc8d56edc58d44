from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from droids.core.models import DroidReport, Finding, Severity, fingerprint
from droids.core.policy import GatesPolicy, Suppression, load_gates
from orchestrator.errors import OrchestratorError
from orchestrator.resolve import load_baseline, merge_findings, verdict, write_baseline
from tests.conftest import REPO_ROOT

GATES = load_gates(REPO_ROOT / "policies")
TODAY = date(2026, 11, 21)


def _f(droid: str, rule: str, sev: Severity, path: str = "a.py", content: str = "x") -> Finding:
    return Finding(
        rule=rule,
        droid=droid,
        severity=sev,
        title="t",
        message="m",
        path=path,
        line=3,
        fingerprint=fingerprint(rule, path, content),
    )


def _reports(*findings: Finding, status: str = "ok") -> list[DroidReport]:
    by: dict[str, list[Finding]] = {}
    for f in findings:
        by.setdefault(f.droid, []).append(f)
    return [DroidReport(name=n, findings=fs, status=status) for n, fs in by.items()]


def test_duplicates_keep_the_first_droid_in_precedence() -> None:
    a = _f("performance-optimizer", "SEC001", Severity.LOW)
    b = _f("security-compliance", "SEC001", Severity.HIGH)
    merged = merge_findings(_reports(a, b), GATES, frozenset(), TODAY)
    assert [(f.droid, f.severity) for f in merged] == [("security-compliance", Severity.HIGH)]


def test_sorted_by_precedence_then_severity() -> None:
    fs = [
        _f("performance-optimizer", "P1", Severity.CRITICAL, content="1"),
        _f("security-compliance", "S1", Severity.LOW, content="2"),
        _f("security-compliance", "S2", Severity.HIGH, content="3"),
    ]
    assert [f.rule for f in merge_findings(_reports(*fs), GATES, frozenset(), TODAY)] == ["S2", "S1", "P1"]


@pytest.mark.parametrize(
    ("suppression", "suppressed"),
    [
        (Suppression(rule="SEC001", paths=("tests/**",), reason="fixtures"), True),
        (Suppression(rule="SEC*", paths=("tests/**",), reason="fixtures"), True),
        (Suppression(rule="SEC002", paths=("tests/**",), reason="other rule"), False),
        (Suppression(rule="SEC001", paths=("src/**",), reason="other path"), False),
        (Suppression(rule="SEC001", paths=("tests/**",), reason="lapsed", expires=date(2026, 11, 20)), False),
        (Suppression(rule="SEC001", paths=("tests/**",), reason="still valid", expires=date(2026, 11, 21)), True),
    ],
)
def test_suppressions(suppression: Suppression, suppressed: bool) -> None:
    gates = GATES.model_copy(update={"suppressions": (suppression,)})
    (f,) = merge_findings(
        _reports(_f("security-compliance", "SEC001", Severity.HIGH, "tests/k.py")), gates, frozenset(), TODAY
    )
    assert f.suppressed is suppressed
    assert (f.suppression == f"policy: {suppression.reason}") is suppressed


@pytest.mark.parametrize(
    ("rule", "subrule", "suppressed"),
    [
        ("SEC010/B311", "B311", True),
        ("SEC010/B3*", "B311", True),
        ("SEC010", "B311", True),  # the whole rule covers each of its subrules
        ("SEC010/B602", "B311", False),
        ("SEC010/B311", None, False),  # a finding without a subrule is named by its rule only
        ("*1", "B311", False),  # a pattern without "/" matches rule ids only, never RULE/SUBRULE
        ("SEC01*", "B311", True),
    ],
)
def test_a_suppression_may_name_one_subrule(rule: str, subrule: str | None, suppressed: bool) -> None:
    gates = GATES.model_copy(update={"suppressions": (Suppression(rule=rule, paths=("tests/**",), reason="why"),)})
    finding = _f("security-compliance", "SEC010", Severity.LOW, "tests/k.py")
    if subrule:
        finding = Finding(**finding.model_dump(), subrule=subrule)
    (f,) = merge_findings(_reports(finding), gates, frozenset(), TODAY)
    assert f.suppressed is suppressed


def test_baseline_suppresses_by_fingerprint(tmp_path: Path) -> None:
    known = _f("security-compliance", "SEC001", Severity.HIGH, content="old")
    new = _f("security-compliance", "SEC001", Severity.HIGH, content="new")
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [known]) == 1
    merged = merge_findings(_reports(known, new), GATES, load_baseline(path), TODAY)
    assert {f.fingerprint: f.suppression for f in merged} == {known.fingerprint: "baseline", new.fingerprint: None}
    assert verdict(merged, _reports(known, new), GATES, "pre-commit") == "block"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "unreadable baseline"),
        ('{"schema": "x"}', "schema"),
        ('{"schema": "droid-baseline/1", "fingerprints": [1]}', "fingerprints"),
    ],
)
def test_bad_baseline_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(OrchestratorError, match=message):
        load_baseline(path)


@pytest.mark.parametrize(
    ("profile", "severity", "expected"),
    [
        ("pre-commit", Severity.HIGH, "block"),
        ("pre-commit", Severity.MEDIUM, "warn"),
        ("pre-commit", Severity.INFO, "pass"),
        ("ci", Severity.MEDIUM, "block"),
        ("audit", Severity.INFO, "warn"),
        ("audit", Severity.CRITICAL, "block"),
    ],
)
def test_verdict_from_profile_thresholds(profile: str, severity: Severity, expected: str) -> None:
    findings = [_f("security-compliance", "SEC001", severity)]
    assert verdict(findings, _reports(*findings), GATES, profile) == expected


def test_error_fails_closed_even_without_findings() -> None:
    assert verdict([], [DroidReport(name="x", status="timeout")], GATES, "pre-commit") == "block"


def test_gates_policy_is_frozen() -> None:
    with pytest.raises(ValidationError):
        GATES.baseline = "x"  # type: ignore[misc]
    assert isinstance(GATES, GatesPolicy)
