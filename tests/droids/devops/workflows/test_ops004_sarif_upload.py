"""OPS004: the gate's SARIF reaches code scanning even when the gate blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.devops.workflows import ops004_sarif_upload
from tests.droids.devops.helpers import run_rule
from tests.droids.devops.workflows.cases import CLEAN, WF, line_of, planted

GATE_RUN = 'run: droid gate --base "origin/$BASE_REF" --out droid-report'
UPLOAD = """      - name: Upload SARIF
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: droid-report/report.sarif
          category: droid
"""
MUST_FLAG = [
    (planted("        if: always()\n", ""), "Upload SARIF", "runs only when the gate passed"),
    (planted("        if: always()\n", "        if: success()\n"), "Upload SARIF", "runs only when the gate passed"),
    (planted(UPLOAD, ""), "droid gate", "uploads its SARIF"),
    (
        planted("sarif_file: droid-report/report.sarif", "sarif_file: other.sarif"),
        "sarif_file",
        "not the gate's report",
    ),
    (planted(GATE_RUN, 'run: droid gate --base "origin/$BASE_REF"'), "droid gate", "writes no SARIF"),
]
MUST_NOT_FLAG = [
    CLEAN,
    planted("sarif_file: droid-report/report.sarif", "sarif_file: droid-report"),  # the folder
    planted("        if: always()\n", "        if: ${{ !cancelled() }}\n"),
    planted(GATE_RUN, 'run: droid gate --base "origin/$BASE_REF" --format sarif --output droid-report/report.sarif'),
    planted(GATE_RUN, "run: make test"),  # no gate step: OPS003's finding, not this rule's
]


@pytest.mark.parametrize(("text", "where", "says"), MUST_FLAG)
def test_sarif_not_reaching_code_scanning_is_found(git_repo: Path, text: str, where: str, says: str) -> None:
    found = run_rule(git_repo, ops004_sarif_upload, {WF: text})
    assert len(found) == 1
    assert says in found[0].message
    assert found[0].line == line_of(text, where)


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_uploaded_sarif_raises_nothing(git_repo: Path, text: str) -> None:
    assert run_rule(git_repo, ops004_sarif_upload, {WF: text}) == []
