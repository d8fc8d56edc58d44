from __future__ import annotations

import re

import pytest

from droids.core.models import Finding, Severity
from orchestrator.render import render
from orchestrator.render.markdown import MAX_ROWS, code, escape
from tests.orchestrator.render.reports import ACCEPTED, SECRET, WEAK_HASH, empty_report, full_report

ROWS_HEADER = "| location | message |"
# A cell border is a `|` not escaped by a backslash.
BORDER = re.compile(r"(?<!\\)\|")


def _groups(out: str) -> dict[str, list[str]]:
    """Heading of each rule group -> the rows of its table."""
    lines, groups = out.splitlines(), {}
    for i, line in enumerate(lines):
        if line.startswith("#### "):
            start = lines.index(ROWS_HEADER, i) + 2
            rows = []
            for row in lines[start:]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            groups[line[5:]] = rows
    return groups


def _cells(row: str) -> list[str]:
    return [c.strip() for c in BORDER.split(row)[1:-1]]


def test_one_group_per_rule_most_severe_first_with_the_fix_once() -> None:
    out = render(full_report(), "markdown")
    assert list(_groups(out)) == [
        "critical · `SEC001` Hard-coded secret (1)",
        "high · `APX001` Trailing drawdown breached (1)",
        "medium · `SEC002` Weak hash (1)",
        "low · `SEC003` Debug output (1)",
    ]
    assert out.count(f"Fix: {SECRET.fix}") == 1
    assert not any(ACCEPTED.message in r for rows in _groups(out).values() for r in rows)


def test_pipes_and_newlines_in_a_message_stay_inside_their_cell() -> None:
    (row,) = _groups(render(full_report(), "markdown"))["medium · `SEC002` Weak hash (1)"]
    where, message = _cells(row)
    assert where == "`dir with space/a#b&c.py`"
    assert message == r"uses md5 \| sha1<br>second line \[bold\]not markup\[/bold\] \<b\>x\</b\>"


def test_location_and_evidence_of_the_secret() -> None:
    (row,) = _groups(render(full_report(), "markdown"))["critical · `SEC001` Hard-coded secret (1)"]
    assert _cells(row) == ["`trading_core/config.py:12`", f"{SECRET.message} (evidence `AKIA****`)"]


def test_headline_summary_droids_routing_and_suppressed_count() -> None:
    out = render(full_report(), "markdown")
    headline = out.splitlines()[0]
    assert headline == "## droid gate (pre-commit): BLOCK"
    assert headline.isascii()
    for severity, count in [("critical", 1), ("high", 1), ("medium", 1), ("low", 1), ("info", 0)]:
        assert f"| {severity} | {count} |" in out
    assert "Suppressed or baselined: 1. Pre-existing (not counted): 0." in out
    assert "### Suppressed or baselined (1)" in out
    assert "| perf-optimizer | **ERROR** | 0 | 5 ms | error: RuntimeError: boom |" in out
    assert "skipped 1 binary file: assets/logo.png" in out
    assert r"- **security-compliance**: trigger 'secret'; path trading\_core/config.py" in out


@pytest.mark.parametrize(("verdict", "word"), [("pass", "PASS"), ("warn", "WARN"), ("block", "BLOCK")])
def test_the_status_word_follows_the_verdict(verdict: str, word: str) -> None:
    assert render(empty_report(verdict=verdict), "markdown").splitlines()[0] == f"## droid audit: {word}"


def test_no_findings_section_when_nothing_is_active() -> None:
    out = render(full_report(findings=[ACCEPTED]), "markdown")
    assert "### Findings" not in out and _groups(out) == {}
    assert "Suppressed or baselined: 1." in out


def test_the_table_stops_at_max_rows_and_says_how_many_it_left_out() -> None:
    many = [
        Finding(rule="SEC003", droid="security-compliance", severity=Severity.LOW, title="t", message=f"m{i}",
                path=f"f{i}.py", line=1, fingerprint=f"sha256:{i}")
        for i in range(MAX_ROWS + 5)
    ]  # fmt: skip
    out = render(full_report(findings=many), "markdown")
    assert sum(len(rows) for rows in _groups(out).values()) == MAX_ROWS
    assert "5 more findings are left out here" in out


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("a|b", r"a\|b"),
        ("x\r\ny", "x<br>y"),
        ("__init__.py *bold* [link](u) <i>", r"\_\_init\_\_.py \*bold\* \[link\](u) \<i\>"),
        (WEAK_HASH.path, r"dir with space/a\#b\&c.py"),
    ],
)
def test_escape(text: str, cell: str) -> None:
    assert escape(text) == cell


@pytest.mark.parametrize(
    ("text", "span"), [("a.py:3", "`a.py:3`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("a|b", r"`a\|b`")]
)
def test_code_spans(text: str, span: str) -> None:
    assert code(text) == span


def test_ask_shows_the_answer_one_paragraph_per_line() -> None:
    answer = "Asked security-compliance (trigger 'secret').\nVerdict: block."
    out = render(full_report(mode="ask", profile="ask", answer=answer), "markdown")
    assert "### Answer\n\nAsked security-compliance (trigger 'secret').\n\nVerdict: block.\n" in out
    assert out.splitlines()[0] == "## droid ask: BLOCK"
