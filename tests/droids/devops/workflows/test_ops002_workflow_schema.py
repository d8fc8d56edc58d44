"""OPS002: check-jsonschema's vendored workflow schema on planted shape errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.devops.workflows import ops002_workflow_schema
from tests.droids.devops.helpers import run_rule
from tests.droids.devops.workflows.cases import CLEAN, WF, line_of, planted

# (workflow, the line the finding is on, subrule = schema keyword, what the message says)
MUST_FLAG = [
    (
        planted("        with:\n          fetch-depth", "        whith:\n          fetch-depth"),
        "whith:",
        "additionalProperties",
        "'whith' was unexpected",
    ),
    (
        planted("    runs-on: ubuntu-latest", "    run-on: ubuntu-latest"),
        "  gate:",
        "required",
        "'runs-on' is a required property",
    ),
    (
        planted("    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest\n    timeout-minutes: soon"),
        "timeout-minutes",
        "type",
        "a string is not of type 'number'",
    ),
    (planted("  contents: read\njobs", "  contents: raed\njobs"), "contents: raed", "enum", "a string is not one of"),
]


@pytest.mark.parametrize(("text", "where", "keyword", "says"), MUST_FLAG)
def test_shape_error_is_found_at_its_line(git_repo: Path, text: str, where: str, keyword: str, says: str) -> None:
    found = run_rule(git_repo, ops002_workflow_schema, {WF: text})
    assert [(f.line, f.model_extra["subrule"]) for f in found] == [(line_of(text, where), keyword)]
    assert says in found[0].message
    assert "soon" not in found[0].message and "raed" not in found[0].message  # values are never quoted


def test_clean_workflow_raises_nothing(git_repo: Path) -> None:
    """Also: YAML 1.1 reads `on` as true; the schema must see "on" as GitHub does ('on' not missing)."""
    assert run_rule(git_repo, ops002_workflow_schema, {WF: CLEAN}) == []


def test_malformed_yaml_is_bad_input_naming_the_line(git_repo: Path) -> None:
    with pytest.raises(DroidError, match=r"ci.yml:\d+: malformed YAML"):
        run_rule(git_repo, ops002_workflow_schema, {WF: "name: ci\non: push\njobs: [a\n  b: c\n"})
