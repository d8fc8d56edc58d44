"""Global options after the sub-command are moved before it (pre-commit `args:` append them)."""

from __future__ import annotations

import pytest

from orchestrator.cli.argv import hoist_global_options

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
