from __future__ import annotations

from html.parser import HTMLParser

import pytest

from orchestrator.render import render
from tests.orchestrator.render.reports import FINDINGS, NASTY_MESSAGE, empty_report, full_report

VOID = {"meta", "br", "link", "img", "input", "hr", "col"}


class _Page(HTMLParser):
    """Collects the visible text and checks that every opened element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(out: str) -> _Page:
    page = _Page()
    page.feed(out)
    page.close()
    assert page.open == []
    return page


@pytest.mark.parametrize("build", [full_report, empty_report], ids=["full", "empty"])
def test_a_self_contained_well_formed_page(build) -> None:
    out = render(build(), "html")
    assert out.startswith("<!DOCTYPE html>")
    page = _parse(out)
    assert "style" in page.tags
    assert not page.tags & {"script", "link", "img", "iframe"}
    assert not page.attrs & {"src", "href", "onload", "onclick"}


def test_report_values_are_escaped_and_shown_as_text() -> None:
    out = render(full_report(), "html")
    assert "<b>x</b>" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert "<code>dir with space/a#b&amp;c.py</code>" in out
    text = "".join(_parse(out).text)
    for line in NASTY_MESSAGE.splitlines():
        assert line in text
    for f in FINDINGS:
        assert f.rule in text
        assert f.fix in text


def test_droid_errors_suppression_and_extra_sections_are_visible() -> None:
    text = "".join(_parse(render(full_report(), "html")).text)
    assert "error: RuntimeError: boom" in text
    assert "Suppressed or baselined (1)" in text and "baseline: accepted on 2026-11-01" in text
    assert "final_equity" in text
    assert "47900.0" in text
    assert 'trading_day="2026-03-09"' in text


def test_findings_are_grouped_by_rule_and_suppressed_ones_listed_apart_in_grey() -> None:
    out = render(full_report(), "html")
    assert out.count("<h3>") == 4  # one heading per rule of an active finding
    assert "<code>SEC001</code> Hard-coded secret (1)</h3><p><b>Fix:</b> Load it from the environment</p>" in out
    apart = out[out.index("Suppressed or baselined (1)") :]
    assert "<table class=apart>" in apart and "sev-" not in apart.split("</table>")[0]
    assert "table-layout:fixed" in out and "overflow-wrap:anywhere" in out  # long values wrap: no sideways scroll
