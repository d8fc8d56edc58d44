"""Checks of a new version before it receives traffic: health, and the smoke test.

Health: `GET /healthz` answers 200, reports the version being deployed, and runs the release's own
code (its `code` path is inside the release folder). Smoke: `/config` is the environment's committed
configuration, a few `/tick` requests are served, and a short simulator session (`python -m
trading_core.sim --days N` with the release's code and policies, the equivalent of `droid sim run`)
writes a journal that the Apex engine (trading_core.apex, evaluated here, not by the new code's own
report) finds free of violations. What runs: the trading core of the commit being deployed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from droids.devops.deploy.processes import request

MARKER = "trading_core.service"


def healthy(port: int, version: str, release: Path) -> str | None:
    """None when /healthz is 200 for this version and code; else why not."""
    try:
        status, body = request(port, "GET", "/healthz", timeout_s=2.0)
    except OSError as exc:
        return f"/healthz did not answer ({exc.__class__.__name__})"
    if status != 200 or not isinstance(body, dict):
        return f"/healthz answered {status}"
    if body.get("version") != version:
        return f"/healthz reports version {body.get('version')!r}, expected {version!r}"
    if not str(body.get("code", "")).startswith(str(release.resolve())):
        return f"the process runs code from {body.get('code')}, not from the release {release}"
    return None


def wait_healthy(port: int, version: str, release: Path, timeout_s: float, interval_s: float) -> str | None:
    deadline = time.monotonic() + timeout_s
    why = "no answer yet"
    while time.monotonic() < deadline:
        why = healthy(port, version, release) or ""
        if not why:
            return None
        time.sleep(interval_s)
    return f"not healthy within {timeout_s:.0f} s: {why}"


def smoke(
    port: int, env: str, release: Path, out_dir: Path, *, requests: int, days: int, timeout_s: float
) -> str | None:
    """None when the new version passes the smoke test; else the first reason it does not."""
    from trading_core.service.config import load_service_config

    committed = load_service_config(release / "config" / f"{env}.yaml")[1]
    status, body = request(port, "GET", "/config")
    if status != 200 or not isinstance(body, dict) or body.get("config") != committed:
        return f"/config ({status}) is not config/{env}.yaml of the release"
    for i in range(requests):
        status, _ = request(port, "POST", "/tick")
        if status != 200:
            return f"/tick request {i + 1} of {requests} answered {status}"
    return simulated_session(release, out_dir, days, timeout_s)


def simulated_session(release: Path, out_dir: Path, days: int, timeout_s: float) -> str | None:
    """`python -m trading_core.sim` of the release, then its journal through trading_core.apex."""
    from trading_core.apex import evaluate_chunks, journal_chunks, load_apex_policy

    argv = [
        sys.executable,
        "-m",
        "trading_core.sim",
        "--days",
        str(days),
        "--policies",
        "policies",
        "--out",
        str(out_dir),
        "--json",
    ]
    env = {**os.environ, "PYTHONPATH": str(release)}
    try:
        proc = subprocess.run(argv, cwd=release, env=env, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return f"the simulator session did not finish within {timeout_s:.0f} s"
    if proc.returncode not in (0, 1):
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"the simulator session failed (exit {proc.returncode}): {err[-1][:200] if err else ''}"
    summary = json.loads(proc.stdout)
    journal = out_dir / "journal.csv"
    if not journal.is_file():
        return "the simulator session wrote no journal"
    apex = load_apex_policy(release / "policies", ruleset=summary["ruleset"], account=summary["account"])
    (verdict,) = evaluate_chunks(journal_chunks(journal, instruments=apex.instruments), [apex])
    if verdict.violations:
        shown = "; ".join(f"{v.rule} {v.trading_day}: {v.message}" for v in verdict.violations[:3])
        return f"the simulator journal breaks {len(verdict.violations)} Apex rule(s): {shown}"
    return None
