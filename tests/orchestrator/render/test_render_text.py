from __future__ import annotations

import pytest

from orchestrator.render import render
from tests.orchestrator.render.reports import ACCEPTED, BLOWN, DEBUG_PRINT, EVIDENCE, SECRET, empty_report, full_report

ESC = "\x1b"


@pytest.mark.parametrize("build", [full_report, empty_report], ids=["full", "empty"])
def test_no_ansi_codes_without_colour_even_when_the_environment_forces_colour(
    build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ESC not in render(build(), "text", color=False)


def test_colour_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = render(full_report(), "text", color=True)
    assert f"{ESC}[" in out
    assert "BLOCK" in out


@pytest.mark.parametrize(
    ("verdict", "first_line"),
    [
        ("block", "BLOCK  gate (pre-commit): 2 findings at or above high; 1 droid did not finish (perf-optimizer)"),
        ("pass", "PASS  gate (pre-commit): 2 findings at or above high; 1 droid did not finish (perf-optimizer)"),
    ],
)
def test_verdict_line_comes_first(verdict: str, first_line: str) -> None:
    assert render(full_report(verdict=verdict), "text").splitlines()[0] == first_line


def test_an_empty_audit_passes_quietly() -> None:
    lines = render(empty_report(), "text").splitlines()
    assert lines[0] == "PASS  audit: nothing at or above high"
    assert lines[-1] == "summary: 0 critical, 0 high, 0 medium, 0 low, 0 info; 0 ms"


def test_ask_prints_the_answer_first() -> None:
    answer = "Asked security-compliance (trigger 'secret').\nVerdict: block."
    out = render(full_report(mode="ask", profile="ask", request="any secrets?", answer=answer), "text")
    assert out.startswith(answer + "\n\nBLOCK  ask: ")


def test_findings_grouped_by_rule_with_the_fix_once_and_one_line_each() -> None:
    out = render(full_report(), "text")
    lines = out.splitlines()
    headings = [line for line in lines if line.split("  ")[0] in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")]
    assert headings == [
        "CRITICAL  SEC001  Hard-coded secret (1)",
        "HIGH  APX001  Trailing drawdown breached (1)",
        "MEDIUM  SEC002  Weak hash (1)",
        "LOW  SEC003  Debug output (1)",
    ]
    secret = lines.index("CRITICAL  SEC001  Hard-coded secret (1)")
    assert lines[secret + 1 : secret + 3] == [
        f"  fix: {SECRET.fix}",
        f"    trading_core/config.py:12  {SECRET.message}  evidence {EVIDENCE}",
    ]
    assert f"    (no file)  {BLOWN.message}" in lines
    # Rich markup inside a message is text, not style.
    assert "    second line [bold]not markup[/bold] <b>x</b>" in lines
    assert ACCEPTED.message not in out
    assert "1 suppressed (SEC001 1); --verbose lists them with why" in out


def test_many_findings_of_one_rule_say_the_fix_once() -> None:
    many = [DEBUG_PRINT.model_copy(update={"line": n, "fingerprint": f"sha256:{n:064x}"}) for n in range(1, 62)]
    out = render(full_report(findings=many), "text")
    assert out.count("LOW  SEC003  Debug output (61)") == 1
    assert out.count(DEBUG_PRINT.fix) == 1
    assert sum(line.startswith("    trading_core/orders.py:") for line in out.splitlines()) == 61


def test_pre_existing_and_suppressed_findings_are_apart_and_never_in_active_colours() -> None:
    before = DEBUG_PRINT.model_copy(update={"preexisting": True})
    report = full_report(findings=[SECRET, before, ACCEPTED])
    plain = render(report, "text")
    assert "LOW  SEC003" not in plain
    assert "1 pre-existing, on lines this change did not touch (SEC003 1); --show-preexisting lists them" in plain
    listed = render(report, "text", show_preexisting=True)
    assert "pre-existing: on lines this change did not touch (1)" in listed
    assert "LOW  SEC003  Debug output (1)" in listed
    coloured = render(report, "text", color=True, show_preexisting=True)
    low_heading = next(line for line in coloured.splitlines() if "Debug output (1)" in line)
    assert "\x1b[36m" not in low_heading and "\x1b[2m" in low_heading  # dim, not LOW's cyan
    assert report.summary()["low"] == 0


def test_verbose_is_the_full_form_with_each_fix_and_the_suppressed_reasons() -> None:
    lines = render(full_report(), "text", verbose=True).splitlines()
    secret = lines.index("  trading_core/config.py:12  SEC001  Hard-coded secret")
    assert lines[secret + 1 : secret + 3] == [
        f"      {SECRET.message}  evidence {EVIDENCE}",
        f"      fix: {SECRET.fix}",
    ]
    assert f"  legacy/old.py:3  SEC001  {ACCEPTED.message} ({ACCEPTED.suppression})" in lines


def test_droids_routing_and_summary() -> None:
    lines = render(full_report(), "text").splitlines()
    assert "  perf-optimizer       ERROR   0 findings, 5 ms" in lines
    assert "    error: RuntimeError: boom" in lines
    assert "    skipped 1 binary file: assets/logo.png" in lines
    routing = next(line for line in lines if line.startswith("routing: "))
    assert "security-compliance <- trigger 'secret', path trading_core/config.py" in routing
    assert lines[-1] == "summary: 1 critical, 1 high, 1 medium, 1 low, 0 info; 1 suppressed; 812 ms"


def test_lines_fit_a_terminal() -> None:
    long_message = SECRET.model_copy(update={"message": "word " * 60})
    lines = render(full_report(findings=[long_message]), "text").splitlines()
    assert max(len(line) for line in lines) <= 100
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize("color", [False, True])
def test_control_characters_from_a_finding_cannot_drive_the_terminal(color: bool) -> None:
    hostile = SECRET.model_copy(update={"message": "red\x1b[31mX and a link\x1b]8;;http://example.invalid\x07 end"})
    out = render(full_report(findings=[hostile]), "text", color=color)
    assert "\x1b[31mX" not in out
    assert "\x1b]8" not in out
    assert "red\ufffd[31mX and a link\ufffd]8;;http://example.invalid end" in out.replace("\x1b[0m", "")
