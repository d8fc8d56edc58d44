"""The adversarial scenario suite CMP003 runs through the trading core's simulator, with its cache.

Each scenario is a seeded week of generated market days with forced adversarial days (late-session
crashes, a runaway winning day, a feed full of bad ticks), run by `trading_core.sim.run_simulation`
(engine + SENTINEL + the Apex guard + the simulated venue) and judged on the journal it writes,
re-read and checked by `trading_core.apex.evaluate`. Five days each, except the two-day smoke run a
pre-commit gate can afford. Every account rule is judged on every scenario: consistency (APX004) is
a payout rule, judged only at a payout request, which no scenario makes, so no scenario exempts it.

A scenario's result is cached under a hash of everything it depends on: its definition, the source
of the trading_core package that runs it, and the policy files it reads. Unchanged inputs are never
simulated twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from trading_core.errors import TradingCoreError
from trading_core.sim.plan import DayPlan

CACHE_VERSION = "cmp003/1"
_CACHE_KEEP = 64
_BAD_INPUT = 2


@dataclass(frozen=True)
class Scenario:
    name: str
    days: int
    seed: int
    plan: tuple[DayPlan, ...]
    about: str
    quick: bool = False  # part of the pre-commit subset
    exempt: dict[str, str] = field(default_factory=dict)  # rule -> why this scenario does not judge it


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "pre-commit-smoke",
        2,
        7,
        (DayPlan(), DayPlan(crash=True)),
        "a normal day, then a late crash: the quick subset a pre-commit gate can afford",
        quick=True,
    ),
    Scenario("baseline-week", 5, 7, (), "the simulator's default week (policies/sim.yaml)"),
    Scenario(
        "late-crash-every-day",
        5,
        7,
        (DayPlan(crash=True),) * 5,
        "a 2 % fall late in every session, into the deadline",
    ),
    Scenario("runaway-first-day", 5, 7, (DayPlan(runaway=True),), "a first day the model wins far more than usual"),
    Scenario("faulty-feed", 5, 11, (DayPlan(faults_every=50),) * 5, "one bad tick in 50: NaN, crossed, out of order"),
    Scenario(
        "mixed-week",
        5,
        3,
        (
            DayPlan(runaway=True),
            DayPlan(crash=True),
            DayPlan(crash=True, faults_every=200),
            DayPlan(),
            DayPlan(crash=True),
        ),
        "a runaway day, crashes and a faulty feed in one week",
    ),
)


def inputs_digest(policies: Path, package: Path) -> str:
    """Hash of the governed trading core's source (`package`) and the policy files: what every
    scenario depends on."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    sources = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".onnx") and "__pycache__" not in p.parts)
    for path in sources:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(policies.glob("*.y*ml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def scenario_key(inputs: str, scenario: Scenario) -> str:
    definition = json.dumps(asdict(scenario), sort_keys=True)
    return hashlib.sha256(f"{inputs}\0{definition}".encode()).hexdigest()


def run_scenario(scenario: Scenario, policies: Path, out_dir: Path) -> dict[str, Any]:
    """Simulate one scenario and return its result (plain data, so it crosses processes and caches)."""
    from trading_core.sim import run_simulation

    result = run_simulation(policies, scenario.days, scenario.seed, out_dir, plans=scenario.plan)
    violations = [
        {
            "rule": v.rule,
            "severity": v.severity,
            "event_index": v.event_index,
            "trading_day": v.trading_day,
            "symbol": v.symbol,
            "value": v.value,
            "limit": v.limit,
            "message": v.message,
        }
        for v in result.violations
    ]
    judged = [v for v in violations if v["rule"] not in scenario.exempt]
    return {
        "scenario": scenario.name,
        "seed": result.seed,
        "days": result.days,
        "passed": result.checked and not judged,
        "violations": judged,
        "exempt": [{**v, "why": scenario.exempt[v["rule"]]} for v in violations if v["rule"] in scenario.exempt],
        "checked": result.checked,
        "ruleset": result.ruleset,
        "account": result.account,
        "trades": result.trades,
        "journal": str(result.journal),
        "journal_sha256": _file_digest(result.journal),
        "about": scenario.about,
    }


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def run_all(
    scenarios: list[Scenario], policies: Path, out_root: Path, core_dir: Path | None = None
) -> list[dict[str, Any]]:
    """Run scenarios: one alone in this process, several in parallel worker processes (one per core).
    With `core_dir` (the repository's own trading core, not droid's bundled one) every scenario runs
    in a worker that imports `trading_core` from there (droids.core.governed).

    Workers are plain `python -m` subprocesses, not a multiprocessing pool: a pool's spawned children
    re-import the caller's __main__, and the droid runs in a thread of whatever program called it.
    """
    if core_dir is None and (len(scenarios) <= 1 or (os.cpu_count() or 1) == 1):
        return [run_scenario(s, policies, out_root / s.name) for s in scenarios]
    workers = max(1, min(len(scenarios), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda s: _run_in_worker(s, policies, out_root / s.name, core_dir), scenarios))


def _run_in_worker(scenario: Scenario, policies: Path, out_dir: Path, core_dir: Path | None) -> dict[str, Any]:
    from droids.core.governed import child_command, child_env

    request = json.dumps({"scenario": asdict(scenario), "policies": str(policies), "out_dir": str(out_dir)})
    command = child_command(__name__)
    proc = subprocess.run(
        command, input=request, capture_output=True, text=True, check=False, env=child_env(core_dir), cwd=out_dir.parent
    )
    if proc.returncode == 0:
        return json.loads(proc.stdout)
    last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
    if proc.returncode == _BAD_INPUT:
        raise TradingCoreError(last)
    return crashed(scenario, out_dir, f"exit {proc.returncode}: {last[:400]}")


def crashed(scenario: Scenario, out_dir: Path, detail: str) -> dict[str, Any]:
    """The result of a scenario whose simulation raised: nothing checked, so not passed (a gate fails
    closed on code it could not run). Never cached: the next run tries again."""
    return {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "days": scenario.days,
        "passed": False,
        "violations": [],
        "exempt": [],
        "checked": False,
        "crashed": detail,
        "ruleset": None,
        "account": None,
        "trades": 0,
        "journal": str(out_dir / "journal.csv"),
        "journal_sha256": None,
        "about": scenario.about,
    }


def _worker_main() -> int:
    """Run one scenario described on stdin; print its result as JSON (exit 2: bad input)."""
    request = json.loads(sys.stdin.read())
    raw = request["scenario"]
    scenario = Scenario(**{**raw, "plan": tuple(DayPlan(**d) for d in raw["plan"])})
    try:
        result = run_scenario(scenario, Path(request["policies"]), Path(request["out_dir"]))
    except TradingCoreError as exc:
        print(exc, file=sys.stderr)
        return _BAD_INPUT
    print(json.dumps(result))
    return 0


class ResultCache:
    """scenario key -> result, in one JSON file; a corrupt file is ignored and rewritten."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            self.entries: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached result, if its journal is still the one it was judged on (findings point into it)."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or "journal" not in entry:
            return None
        return entry if _file_digest(Path(entry["journal"])) == entry.get("journal_sha256") else None

    def put(self, key: str, result: dict[str, Any]) -> None:
        self.entries.pop(key, None)
        self.entries[key] = result
        while len(self.entries) > _CACHE_KEEP:
            self.entries.pop(next(iter(self.entries)))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1), encoding="utf-8")
        tmp.replace(self.path)


if __name__ == "__main__":
    sys.exit(_worker_main())
