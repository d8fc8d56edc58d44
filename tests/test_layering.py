"""The layers' arrows point down (orchestrator -> droids -> trading_core), checked by import-linter,
and the fast commands stay free of heavy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = (
    "langgraph", "anthropic", "bandit", "onnxruntime", "detect_secrets", "pyarrow", "pandas",
    "pandas_market_calendars", "exchange_calendars", "httpx", "check_jsonschema", "jsonschema",
    "apprise", "aiosmtpd", "prometheus_client", "numpy", "matplotlib",
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
