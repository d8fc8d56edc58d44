from __future__ import annotations

import subprocess
import sys

import pytest

from orchestrator.errors import OrchestratorError
from orchestrator.render import FORMATS, render
from tests.conftest import REPO_ROOT
from tests.orchestrator.render.reports import EVIDENCE, empty_report, full_report

# Formats that show a finding's evidence; JUnit lists only `path:line message`.
SHOWS_EVIDENCE = ("text", "json", "markdown", "sarif", "html")


def test_formats_are_the_contracts() -> None:
    assert FORMATS == ("text", "json", "markdown", "sarif", "junit", "html")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("build", [full_report, empty_report], ids=["full", "empty"])
def test_every_format_renders_deterministically_with_a_final_newline(fmt: str, build) -> None:
    first = render(build(), fmt)
    assert first.endswith("\n")
    assert first == render(build(), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_evidence_is_passed_through_and_nothing_is_invented(fmt: str) -> None:
    out = render(full_report(), fmt)
    # The redacted evidence appears at most where the one finding carrying it is shown, intact.
    assert out.count("AKIA") == (1 if fmt in SHOWS_EVIDENCE else 0)
    if fmt in SHOWS_EVIDENCE:
        assert EVIDENCE in out
    # Absent values (commit, line, evidence, error of a healthy droid) never show up as Python's None.
    assert "None" not in out


@pytest.mark.parametrize("fmt", ["xml", "", "JSON"])
def test_an_unknown_format_is_one_clear_line(fmt: str) -> None:
    with pytest.raises(OrchestratorError) as caught:
        render(full_report(), fmt)
    message = str(caught.value)
    assert "\n" not in message
    assert repr(fmt) in message
    assert "text, json, markdown, sarif, junit, html" in message


def test_importing_the_package_loads_no_format_library() -> None:
    heavy = ("rich", "jsonschema", "junitparser", "sarif_pydantic", "sarif_om")
    code = f"import sys, orchestrator.render; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
