"""The layers' arrows point down (orchestrator -> droids -> trading_core), checked by import-linter,
and the fast commands stay free of heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = (
    "langgraph", "anthropic", "bandit", "onnxruntime", "detect_secrets", "pyarrow", "pandas",
    "pandas_market_calendars", "exchange_calendars", "httpx", "check_jsonschema", "jsonschema",
    "apprise", "aiosmtpd", "prometheus_client", "numpy", "re2", "matplotlib",
)  # fmt: skip


def test_import_contracts_hold() -> None:
    """import-linter (a dev dependency) checks the contracts declared in pyproject.toml."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["rules"], ["gate", "--help"], ["monitor", "--help"]])
def test_fast_commands_import_nothing_heavy(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from orchestrator.cli.main import app\n"
        f"try:\n    app({argv!r}, standalone_mode=False, prog_name='droid')\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


ENTRY = {"orchestrator.cli", "orchestrator.cli.argv", "orchestrator.cli.entry"}
CLIENT = {
    "orchestrator.gate_server",
    "orchestrator.gate_server.client",
    "orchestrator.gate_server.fingerprint",
    "orchestrator.gate_server.place",
    "orchestrator.gate_server.wire",
    "droids.core",
    "droids.core.version",
}


@pytest.mark.parametrize(
    ("imports", "allowed"),
    [("orchestrator.cli.entry", ENTRY), ("orchestrator.cli.entry, orchestrator.gate_server.client", ENTRY | CLIENT)],
    ids=["any command", "a gate"],
)
def test_the_droid_script_starts_on_the_standard_library_alone(imports: str, allowed: set[str]) -> None:
    """The thin client (`droid` = orchestrator.cli.entry:run) imports nothing outside the standard
    library before it knows whether the full CLI is needed, and nothing of the gate server's client
    unless the command is a gate: `droid --help` and the other commands pay nothing for the server."""
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"import {imports}\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(json.dumps(sorted(new - set(sys.stdlib_module_names) - {'orchestrator', 'droids'})))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('orchestrator.', 'droids.')))))\n"
    )
    proc = subprocess.run([sys.executable, "-P", "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    third_party, ours = proc.stdout.strip().splitlines()
    assert json.loads(third_party) == []
    assert set(json.loads(ours)) <= allowed
