"""The `droid` script decides, from argv and the environment alone, whether to ask the gate server."""

from __future__ import annotations

import pytest

from orchestrator.cli.entry import wants_server


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["gate", "--staged"], {}, True),
        (["--policies", "P", "gate", "--staged", "-v"], {}, True),
        (["gate", "--staged"], {"DROID_NO_SERVER": "0"}, True),
        (["gate", "--staged"], {"CI": "false"}, True),
        (["gate", "--staged"], {"DROID_NO_SERVER": "1"}, False),
        (["gate", "--staged"], {"CI": "true"}, False),
        (["gate", "--staged"], {"CI": "1"}, False),
        (["gate", "--help"], {}, False),
        (["--version"], {}, False),
        (["audit"], {}, False),
        (["ask", "gate?"], {}, False),
        (["--repo", "gate", "list"], {}, False),
        ([], {}, False),
    ],
)
def test_only_a_gate_outside_ci_goes_to_the_server(argv: list[str], env: dict[str, str], expected: bool) -> None:
    assert wants_server(argv, env) is expected
