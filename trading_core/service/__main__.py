"""`python -m trading_core.service --env ENV [--port N] [--port-file F] [--version V] [--commit C]`.

Binds 127.0.0.1:N (0: any free port, written to --port-file once listening), loads
config/<env>.yaml and the policies, builds the engine, then serves until SIGTERM or SIGINT, which
finish the requests in flight. Exit 2 on bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from trading_core.errors import TradingCoreError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trading_core.service", description="Serve the trading core.")
    parser.add_argument("--env", required=True, help="environment name: reads config/<env>.yaml")
    parser.add_argument("--config", type=Path, default=None, help="configuration file (default config/<env>.yaml)")
    parser.add_argument("--policies", type=Path, default=Path("policies"), help="policies folder")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", type=Path, default=None, help="write the bound port here")
    parser.add_argument("--version", default="dev", help="version label reported by /healthz")
    parser.add_argument("--commit", default="", help="commit reported by /healthz")
    parser.add_argument("--seed", type=int, default=None, help="market generator seed (default: sim.yaml)")
    args = parser.parse_args(argv)
    from trading_core.service.app import ServiceServer, TradingService
    from trading_core.service.config import load_service_config
    from trading_core.service.engine_host import EngineHost

    source = args.config or Path("config") / f"{args.env}.yaml"
    try:
        config, document = load_service_config(source)
        if config.environment != args.env:
            raise TradingCoreError(f"{source}: environment: {config.environment!r}, expected {args.env!r}")
        service = TradingService(config, document, str(source), args.version, args.commit)
        server = ServiceServer(args.port, service)
    except (TradingCoreError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    if args.port_file is not None:  # written once listening, atomically: a reader never sees half a number
        tmp = args.port_file.with_suffix(".tmp")
        tmp.write_text(str(server.server_address[1]))
        tmp.replace(args.port_file)
    try:
        service.host = EngineHost(args.policies, config, args.seed)
    except TradingCoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        server.shutdown()
        return 2
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
