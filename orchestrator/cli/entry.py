"""The `droid` console script: a thin client that imports only the standard library to start.

`droid gate ...` is first offered to the repository's warm gate server (orchestrator.gate_server);
every other command, and every gate the server does not answer, runs the full CLI
(`orchestrator.cli.main`) in this process. The server is off with `DROID_NO_SERVER=1`, under CI
(`CI` set: a one-shot run gains nothing) and outside POSIX. Deciding that costs one tiny import, so
`droid --help` and the other commands pay nothing for the server.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from orchestrator.cli.argv import command_of


def wants_server(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    if os.name != "posix" or env.get("DROID_NO_SERVER", "") not in ("", "0"):
        return False
    if env.get("CI", "").lower() not in ("", "0", "false", "no"):
        return False
    return "--help" not in argv and "--version" not in argv and command_of(argv) == "gate"


def run() -> None:
    argv = sys.argv[1:]
    if wants_server(argv, os.environ):
        from orchestrator.gate_server.client import Client

        try:
            code = Client(argv, os.environ).answer()
        except KeyboardInterrupt:
            sys.exit(130)
        except OSError as exc:  # the served report could not be written (a closed pipe): as in process
            sys.stderr.write(f"droid: internal error: {exc.__class__.__name__}: {exc}\n")
            sys.exit(3)
        if code is not None:
            sys.exit(code)
    from orchestrator.cli.main import run as run_here

    run_here()


if __name__ == "__main__":
    run()
