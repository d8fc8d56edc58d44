"""Every policy file under policies/ and the model that validates it (for `droid policy`).

Loading goes through each layer's own loader, so `droid policy check` reports exactly what a run
would: the first error names file, line and key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.policy import GATES_FILE, GatesPolicy, load_gates


@dataclass(frozen=True)
class PolicyFile:
    name: str
    schema: Callable[[], dict[str, Any]]
    check: Callable[[Path, Path], object]


def _instruments(policies: Path):
    from trading_core.market.instruments import load_instruments

    return load_instruments(policies / "instruments.yaml")


def _apex(policies: Path, _repo: Path) -> object:
    from trading_core.apex import list_accounts, list_rulesets, load_apex_policy

    # every preset on every account must resolve, not only the default
    return [
        load_apex_policy(policies, ruleset=r, account=a)
        for r in list_rulesets(policies)
        for a in list_accounts(policies)
    ]


def _strategy(policies: Path, _repo: Path) -> object:
    from trading_core.engine.config import load_strategy

    return load_strategy(policies, _instruments(policies))


def _sim(policies: Path, _repo: Path) -> object:
    from trading_core.sim.config import load_sim_policy

    return load_sim_policy(policies, _instruments(policies))


def _budgets(policies: Path, _repo: Path) -> object:
    from trading_core.latency.budgets import load_budgets

    return load_budgets(policies)


def _access(policies: Path, repo: Path) -> object:
    from droids.security_compliance.access.policy import load_access_file

    return load_access_file(policies, repo)


def _published(policies: Path, repo: Path) -> object:
    from droids.security_compliance.compliance.published import load_published_file

    return load_published_file(policies, repo)


def _perf(policies: Path, _repo: Path) -> object:
    from droids.performance_optimizer.policy import load_perf_policy

    return load_perf_policy(policies)


def _schema(module: str, name: str) -> Callable[[], dict[str, Any]]:
    def schema() -> dict[str, Any]:
        import importlib

        return getattr(importlib.import_module(module), name).model_json_schema()

    return schema


def policy_files() -> list[PolicyFile]:
    return [
        PolicyFile(GATES_FILE, GatesPolicy.model_json_schema, load_gates),
        PolicyFile("apex.yaml", _schema("trading_core.apex.policy", "ApexPolicyFile"), _apex),
        PolicyFile(
            "instruments.yaml",
            _schema("trading_core.market.instruments", "InstrumentsFile"),
            lambda p, _r: _instruments(p),
        ),
        PolicyFile("strategy.yaml", _schema("trading_core.engine.config", "StrategyPolicy"), _strategy),
        PolicyFile("sim.yaml", _schema("trading_core.sim.config", "SimPolicy"), _sim),
        PolicyFile("budgets.yaml", _schema("trading_core.latency.budgets", "BudgetsPolicy"), _budgets),
        PolicyFile("perf.yaml", _schema("droids.performance_optimizer.policy", "PerfPolicy"), _perf),
        PolicyFile("access.yaml", _schema("droids.security_compliance.access.policy", "AccessFile"), _access),
        PolicyFile(
            "apex-published.yaml",
            _schema("droids.security_compliance.compliance.published", "PublishedFile"),
            _published,
        ),
    ]
