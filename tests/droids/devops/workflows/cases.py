"""A clean workflow that every workflow rule accepts, and the edits that plant one problem each."""

from __future__ import annotations

CLEAN = """\
name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  gate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -e .
      - name: Gate
        env:
          BASE_REF: ${{ github.event.pull_request.base.ref || 'main' }}
        run: droid gate --base "origin/$BASE_REF" --out droid-report
      - name: Upload SARIF
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: droid-report/report.sarif
          category: droid
"""
WF = ".github/workflows/ci.yml"


def planted(old: str, new: str) -> str:
    assert old in CLEAN, old
    return CLEAN.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
