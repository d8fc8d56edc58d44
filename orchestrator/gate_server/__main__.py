"""`python -P -m orchestrator.gate_server REPO`: the warm gate server (started by the `droid` client)."""

from __future__ import annotations

import sys

from orchestrator.gate_server.server import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
