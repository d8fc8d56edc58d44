"""What changed since the previous audit: by fingerprint (a moved finding is neither new nor fixed),
by the trail's rule counts, and never across a droid that did not finish."""

from __future__ import annotations

import pytest

from droids.core.models import DroidReport, Finding, RunReport, Severity, fingerprint
from orchestrator.morning.changes import by_counts, by_fingerprint


def _f(rule: str, droid: str, content: str, *, line: int = 1, suppressed: bool = False) -> Finding:
    return Finding(
        rule=rule, droid=droid, severity=Severity.HIGH, title=rule, message=f"{rule} {content}", path="a.py",
        line=line, fingerprint=fingerprint(rule, "a.py", content), suppressed=suppressed,
    )  # fmt: skip


def _audit(findings: list[Finding], statuses: dict[str, str] | None = None) -> RunReport:
    statuses = statuses or {"security-compliance": "ok", "data-pipeline": "ok"}
    return RunReport(
        tool_version="0.1.0", mode="audit", profile="audit", repo="/r", started_at="2026-03-10T06:30:00Z",
        droids=[DroidReport(name=n, status=s) for n, s in statuses.items()],  # type: ignore[arg-type]
        findings=findings,
    )  # fmt: skip


KEY, SAST, GAP = (_f("SEC001", "security-compliance", "key"), _f("SEC010", "security-compliance", "shell"),
                  _f("DATA010", "data-pipeline", "gap"))  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([KEY, SAST], [SAST, GAP], {"security-compliance": (0, 1), "data-pipeline": (1, 0)}),  # one fixed, one added
        ([KEY], [_f("SEC001", "security-compliance", "key", line=40)], {"security-compliance": (0, 0)}),  # moved
        ([KEY], [KEY, SAST], {"security-compliance": (1, 0)}),
        ([], [], {"security-compliance": (0, 0)}),
    ],
)
def test_new_and_fixed_by_fingerprint(before, after, expected) -> None:
    changes = by_fingerprint(_audit(after), _audit(before), previous_seq=4)
    got = {d.droid: (d.new_count, d.fixed_count) for d in changes.droids}
    assert {k: got[k] for k in expected} == expected
    assert changes.exact and changes.previous_seq == 4


def test_a_finding_suppressed_since_counts_as_fixed_and_says_so() -> None:
    changes = by_fingerprint(_audit([_f("SEC001", "security-compliance", "key", suppressed=True)]), _audit([KEY]))
    (sec,) = [d for d in changes.droids if d.droid == "security-compliance"]
    assert sec.fixed == [KEY] and changes.now_suppressed == {KEY.fingerprint}


@pytest.mark.parametrize(("now", "before", "why"), [
    ("error", "ok", "not compared: data-pipeline did not finish in this audit (error)"),
    ("ok", "timeout", "not compared: data-pipeline did not finish in the previous audit (timeout)"),
])  # fmt: skip
def test_a_droid_that_did_not_finish_is_not_compared(now: str, before: str, why: str) -> None:
    current = _audit([], {"security-compliance": "ok", "data-pipeline": now})
    previous = _audit([GAP], {"security-compliance": "ok", "data-pipeline": before})
    changes = by_fingerprint(current, previous)
    (data,) = [d for d in changes.droids if d.droid == "data-pipeline"]
    assert data.note == why and not data.compared
    assert changes.fixed_total == 0  # its missing finding is not "fixed"


def test_by_the_trails_rule_counts() -> None:
    current = _audit([SAST, GAP, _f("DATA010", "data-pipeline", "gap 2")])
    owner = {"SEC001": "security-compliance", "SEC010": "security-compliance", "DATA010": "data-pipeline"}
    changes = by_counts(current, {"SEC001": 1, "SEC010": 1, "DATA010": 1}, owner, "2026-03-09T06:31:00Z", 7,
                        {"security-compliance": "ok", "data-pipeline": "ok"})  # fmt: skip
    got = {d.droid: (d.open_now, d.new_count, d.fixed_count) for d in changes.droids}
    assert got == {"security-compliance": (1, 0, 1), "data-pipeline": (2, 1, 0)}
    assert not changes.exact and (changes.new_total, changes.fixed_total, changes.previous_seq) == (1, 1, 7)


@pytest.mark.parametrize(("now", "after", "shown"), [
    ("ok", [SAST, GAP], {"security-compliance": ("0", "-1"), "data-pipeline": ("+1", "0")}),
    ("error", [SAST], {"security-compliance": ("0", "-1"), "data-pipeline": ("n/a", "n/a")}),
])  # fmt: skip
def test_counts_as_printed_zero_is_plain_and_not_compared_is_na(now: str, after, shown) -> None:
    changes = by_fingerprint(_audit(after, {"security-compliance": "ok", "data-pipeline": now}), _audit([KEY, SAST]))
    assert {d.droid: d.shown() for d in changes.droids} == shown
