"""Global options after the sub-command are moved before it (pre-commit `args:` append them)."""

from __future__ import annotations

import pytest

from orchestrator.cli.argv import command_of, hoist_global_options

CASES = [
    (["gate", "--staged", "--policies", "X"], ["--policies", "X", "gate", "--staged"]),
    (["gate", "--staged", "--policies=X", "-q"], ["--policies=X", "-q", "gate", "--staged"]),
    (["--repo", "R", "audit", "--verbose"], ["--repo", "R", "--verbose", "audit"]),
    (["gate", "--base", "main", "--format", "json"], ["gate", "--base", "main", "--format", "json"]),
    (["ask", "what about --policies?"], ["ask", "what about --policies?"]),
    (["gate", "x.py", "--", "--policies", "X"], ["gate", "x.py", "--", "--policies", "X"]),
    (["--format", "json", "run", "perf", "--repo", "."], ["--format", "json", "--repo", ".", "run", "perf"]),
    ([], []),
]


@pytest.mark.parametrize(("argv", "expected"), CASES)
def test_global_options_after_the_command_move_before_it(argv: list[str], expected: list[str]) -> None:
    assert hoist_global_options(argv) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["gate", "--staged"], "gate"),
        (["--repo", "gate", "audit"], "audit"),  # `gate` is --repo's value here
        (["--policies", "P", "-q", "gate"], "gate"),
        (["-f", "json", "--output", "o.json", "ask", "gate?"], "ask"),
        (["--version"], None),
        (["--", "gate"], None),
        ([], None),
    ],
)
def test_the_command_is_the_first_word_that_is_not_an_option_value(argv: list[str], expected: str | None) -> None:
    assert command_of(argv) == expected
