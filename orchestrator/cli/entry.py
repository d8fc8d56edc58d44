"""The `droid` console script: a thin client that imports only the standard library to start.

`droid gate ...` is first offered to the repository's warm gate server (orchestrator.gate_server);
every other command, and every gate the server does not answer, runs the full CLI
(`orchestrator.cli.main`) in this process. `DROID_NO_SERVER=1` turns the server off; under CI
(`CI` set) it is not used.
"""

from __future__ import annotations

import os
import sys


def run() -> None:
    argv = sys.argv[1:]
    from orchestrator.gate_server.client import Client, enabled

    if enabled(argv, os.environ):
        try:
            code = Client(argv, os.environ).answer()
        except KeyboardInterrupt:
            sys.exit(130)
        if code is not None:
            sys.exit(code)
    from orchestrator.cli.main import run as run_here

    run_here()


if __name__ == "__main__":
    run()
