"""The one loop that runs a droid's checks: isolation of a crashing check, inline `droid: ignore`,
and which checks a question runs (intent)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from droids.core.checks import CheckOutcome, run_checks, selected
from droids.core.errors import DroidError
from droids.core.models import Finding, RuleSpec, Severity, Targets, Task, fingerprint
from droids.core.protocol import DroidContext


def _rule(rule_id: str) -> RuleSpec:
    return RuleSpec(id=rule_id, droid="demo", severity=Severity.HIGH, title=rule_id, description=rule_id)


def _finding(rule_id: str, path: str, line: int) -> Finding:
    return Finding(
        rule=rule_id,
        droid="demo",
        severity=Severity.HIGH,
        title=rule_id,
        message="found",
        path=path,
        line=line,
        fingerprint=fingerprint(rule_id, path, str(line)),
    )


def check(rule_id: str, *, run=None, intent: tuple[str, ...] = (), by_default: bool = True) -> SimpleNamespace:
    """A check as a droid lists it; `run` raises or returns findings."""
    return SimpleNamespace(
        RULES=(_rule(rule_id),),
        INTENT=intent,
        ASK_BY_DEFAULT=by_default,
        applies=lambda task: True,
        run=run or (lambda task, ctx: CheckOutcome()),
    )


def _task(tmp_path: Path, mode: str = "run", request: str = "", paths: tuple[str, ...] = ()) -> Task:
    return Task(
        mode=mode,  # type: ignore[arg-type]
        profile=mode,  # type: ignore[arg-type]
        request=request,
        repo=tmp_path,
        policies=tmp_path,
        targets=Targets(kind="paths", paths=paths),
    )


def _deep(task: Task, ctx: DroidContext) -> CheckOutcome:
    def recurse(n: int) -> int:
        return recurse(n + 1) + 1

    recurse(0)
    return CheckOutcome()


@pytest.mark.parametrize(
    "crash",
    [_deep, lambda task, ctx: 1 / 0, lambda task, ctx: [][1]],
    ids=["recursion-error", "zero-division", "index-error"],
)
def test_a_crashing_check_keeps_the_other_checks_findings(tmp_path: Path, crash) -> None:
    (tmp_path / "a.py").write_text("key = 1\n")
    found = check("SEC001", run=lambda task, ctx: CheckOutcome(findings=[_finding("SEC001", "a.py", 1)]))
    report = run_checks("demo", [found, check("SEC010", run=crash)], _task(tmp_path), DroidContext(tmp_path / ".d"))
    assert [f.rule for f in report.findings] == ["SEC001"]
    assert report.status == "error" and report.error.startswith("SEC010: internal error: ")
    log = Path(report.error.rsplit("traceback in ", 1)[1].rstrip(")"))
    assert log.is_file() and "Traceback" in log.read_text()
    assert report.rules_checked == ["SEC001"]


def test_bad_input_in_a_check_still_stops_the_run(tmp_path: Path) -> None:
    def bad(task: Task, ctx: DroidContext) -> CheckOutcome:
        raise DroidError("policies/x.yaml:3: limit: expected a number")

    with pytest.raises(DroidError, match="expected a number"):
        run_checks("demo", [check("SEC001", run=bad)], _task(tmp_path), DroidContext(tmp_path / ".d"))


# the line under the finding, and whether the finding ends up suppressed
INLINE = [
    ("key = 1  # droid: ignore[SEC001]", True),
    ("key = 1  # droid: ignore", True),
    ("key = 1  # droid: ignore[SEC001, PERF002]", True),
    ("key = 1  // droid: ignore[sec001]", True),
    ("key = 1  # droid: ignore[SEC004]", False),
    ("key = 1  # nosec", False),  # bandit's comment is for the checks that honour it, not for every rule
    ("key = 1", False),
]


@pytest.mark.parametrize(("line", "suppressed"), INLINE)
def test_droid_ignore_on_the_line_suppresses_that_rule(tmp_path: Path, line: str, suppressed: bool) -> None:
    (tmp_path / "a.py").write_text(f"x = 0\n{line}\n")
    found = check("SEC001", run=lambda task, ctx: CheckOutcome(findings=[_finding("SEC001", "a.py", 2)]))
    report = run_checks("demo", [found], _task(tmp_path, paths=("a.py",)), DroidContext(tmp_path / ".d"))
    assert report.findings[0].suppressed is suppressed
    assert report.findings[0].suppression == ("inline: droid: ignore" if suppressed else None)


SECRETS = check("SEC001", intent=("secret", "leak", "key"))
HISTORY = check("SEC002", intent=("history", "commit"), by_default=False)
SAST = check("SEC010", intent=("bandit", "injection"))


@pytest.mark.parametrize(
    ("mode", "request_text", "expected"),
    [
        ("ask", "any leaked secrets?", ["SEC001"]),
        ("ask", "which commit leaked a key?", ["SEC001", "SEC002"]),
        ("ask", "any SQL injection?", ["SEC010"]),
        ("ask", "@security-compliance have a look", ["SEC001", "SEC010"]),  # no intent named: the defaults
        ("ask", "run SEC002 on the repository", ["SEC002"]),  # a rule id names its check
        ("ask", "sec010 and SEC001 please", ["SEC001", "SEC010"]),
        ("ask", "SEC0010", ["SEC001", "SEC010"]),  # not a rule id: the defaults
        ("audit", "", ["SEC001", "SEC002", "SEC010"]),  # intent narrows questions only
    ],
)
def test_a_question_runs_the_checks_it_is_about(tmp_path: Path, mode: str, request_text: str, expected: list[str]):
    chosen = selected([SECRETS, HISTORY, SAST], _task(tmp_path, mode, request_text))  # type: ignore[list-item]
    assert [c.RULES[0].id for c in chosen] == expected
