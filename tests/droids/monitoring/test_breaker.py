"""The circuit breaker: inside the trading process the kill switch is the engine's own (`Engine.kill`),
SENTINEL then denies every entry (SEN001) and the audit trail holds the kill; on a latency spike the
performance droid's profile is asked for through the registry and the alert names where it is."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from droids.monitoring.live import attach
from tests.conftest import REPO_ROOT
from tests.droids.monitoring.support import HEADER, env_with, es_path, policies_copy, run
from trading_core.apex import load_apex_policy

POLICIES = REPO_ROOT / "policies"


def _engine():
    from trading_core.engine.config import load_strategy
    from trading_core.engine.pipeline import Engine
    from trading_core.latency.budgets import load_budgets
    from trading_core.sim.fills import SimVenue

    apex = load_apex_policy(POLICIES)
    ins = apex.instruments
    strategy = load_strategy(POLICIES, ins)
    venue = SimVenue({s: float(ins[s].tick_size) for s in strategy.symbols}, {s: ins.fee_units(s) for s in
                     strategy.symbols}, 1, 1)  # fmt: skip
    return Engine(strategy, apex, load_budgets(POLICIES), venue)


def test_attached_monitor_kills_the_engine_at_the_danger_level(tmp_path: Path) -> None:
    engine = _engine()
    seen: list[tuple] = []
    engine.account_sink = lambda *event: seen.append(event)  # e.g. the simulator's journal writer
    live = attach(engine, POLICIES, repo=tmp_path)
    ts = 1_773_064_800_000_000
    # what the engine's account sink receives: kind, ts_us, symbol, qty, price ticks, fee units
    live.on_event("fill", ts, "ES", 1, 20_000, 0)  # 1 ES at 5000.00
    for k, points in enumerate((10, 40, 60, 80)):
        live.on_event("mark", ts + (k + 1) * 60_000_000, "ES", 0, 20_000 - 4 * points, 0)
    assert not engine.sentinel.kill_switch.engaged  # 8 %: the warning level only
    live.on_event("mark", ts + 6 * 60_000_000, "ES", 0, 20_000 - 4 * 96, 0)  # 9.6 %
    assert engine.sentinel.kill_switch.engaged
    assert "monitor MON002" in engine.sentinel.kill_switch.reason
    denied = engine.sentinel.check_entry("NQ", 1, ts + 7 * 60_000_000)
    assert not denied.allowed and denied.rule == "SEN001"
    assert len(seen) == 6  # the previous sink still got every event
    assert engine.log.count("kill", "SEN001") == 1
    from droids.core.audit.trail import open_store

    with open_store(tmp_path) as store:
        (entry,) = store.records()
    assert entry.kind == "kill_switch" and entry.details["target"] == "Engine.kill"
    live.on_event("mark", ts + 8 * 60_000_000, "ES", 0, 20_000 - 4 * 99, 0)
    assert engine.log.count("kill", "SEN001") == 1  # the switch latches: one kill


@pytest.mark.slow
def test_a_latency_spike_asks_the_performance_droid_for_a_profile(tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    repo.mkdir()
    # the profile replays the repository's own trading core: a copy, so nothing is written into this one
    shutil.copytree(REPO_ROOT / "trading_core", repo / "trading_core", ignore=shutil.ignore_patterns("__pycache__"))
    policies = policies_copy(repo, "breaker: {profile_ticks: 300}\nlatency: {window: 100, min_samples: 50}\n")
    (repo / "journal.csv").write_text(HEADER + es_path([5000.0] * 5))
    rows = [f"2026-03-09T10:00:{i // 10:02d}.{i % 10}00000-04:00,{90_000 if i == 200 else 1_500}" for i in range(300)]
    (repo / "latency.csv").write_text("ts,on_tick_us\n" + "\n".join(rows) + "\n")
    started = time.time()
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "replay", str(repo / "journal.csv"),
                "-f", "json", "--wait", "300"], repo, env_with(), timeout=400)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    (profile,) = out["state"]["profiles"]
    spike = [a for a in out["state"]["recent_alerts"] if a["rule"] == "MON008"]
    assert spike and "one OnTick took 90.0 ms" in spike[0]["message"]
    assert (Path(profile) / "profile.txt").is_file(), f"no profile after {time.time() - started:.0f} s"
    assert "cumulative" in (Path(profile) / "profile.txt").read_text().lower()
