"""The policy files every run may read, besides the ones droids declare in their manifests.

gates.yaml (thresholds, suppressions) belongs to the shared core; apex.yaml, instruments.yaml,
strategy.yaml, sim.yaml and budgets.yaml to the trading core, which every droid governs. Each check
loads through the layer's own loader, so `droid policy check` reports exactly what a run would: the
first error names file, line and key.
"""

from __future__ import annotations

from pathlib import Path

from droids.core.manifest import PolicyFile
from trading_core.policy import policy_path

_HERE = "droids.core.policy_files"
_TC = "trading_core"
_CORE = f"{_TC}.policy.locate:BUILTIN_DIR"

CORE_POLICY_FILES = (
    PolicyFile("gates.yaml", "droids.core.policy:GatesPolicy", "droids.core.policy:load_gates",
               "droids.core.policy:DEFAULTS_DIR", starter="droids.core.policy:GATES_STARTER"),
    PolicyFile("apex.yaml", f"{_TC}.apex.policy:ApexPolicyFile", f"{_HERE}:check_apex", _CORE),
    PolicyFile("instruments.yaml", f"{_TC}.market.instruments:InstrumentsFile", f"{_HERE}:check_instruments", _CORE),
    PolicyFile("strategy.yaml", f"{_TC}.engine.config:StrategyPolicy", f"{_HERE}:check_strategy", _CORE),
    PolicyFile("sim.yaml", f"{_TC}.sim.config:SimPolicy", f"{_HERE}:check_sim", _CORE),
    PolicyFile("budgets.yaml", f"{_TC}.latency.budgets:BudgetsPolicy", f"{_HERE}:check_budgets", _CORE),
)  # fmt: skip


def check_instruments(policies: Path, _repo: Path | None = None) -> object:
    from trading_core.market.instruments import load_instruments

    return load_instruments(policy_path(policies, "instruments.yaml"))


def check_apex(policies: Path, _repo: Path) -> object:
    from trading_core.apex import list_accounts, list_rulesets, load_apex_policy

    # every preset on every account must resolve, not only the default
    return [
        load_apex_policy(policies, ruleset=r, account=a)
        for r in list_rulesets(policies)
        for a in list_accounts(policies)
    ]


def check_strategy(policies: Path, _repo: Path) -> object:
    from trading_core.engine.config import load_strategy

    return load_strategy(policies, check_instruments(policies))


def check_sim(policies: Path, _repo: Path) -> object:
    from trading_core.sim.config import load_sim_policy

    return load_sim_policy(policies, check_instruments(policies))


def check_budgets(policies: Path, _repo: Path) -> object:
    from trading_core.latency.budgets import load_budgets

    return load_budgets(policies)


def all_policy_files(declared: list[PolicyFile]) -> list[PolicyFile]:
    """The core's files, then each droid's, one entry per file name (the first declaration wins)."""
    seen: dict[str, PolicyFile] = {}
    for item in (*CORE_POLICY_FILES, *declared):
        seen.setdefault(item.name, item)
    return list(seen.values())


def validate_for_run(
    declared: list[PolicyFile], policies: Path, repo: Path, only: frozenset[str] | None = None
) -> None:
    """Validate each policy file a run may read against its model, before any droid runs, so a
    malformed file is one line naming file, line and key (exit 2), never a silent pass. `only`
    limits it to those file names (a pre-commit gate checks the policy files it changes; the
    others were checked when they changed). Built-in files are droid's own: not re-checked."""
    from droids.core.manifest import load
    from droids.core.policy import display_path
    from trading_core.policy import load_policy_file
    from trading_core.policy.locate import is_builtin

    for pf in all_policy_files(declared):
        if only is not None and pf.name not in only:
            continue
        builtin = load(pf.builtin_dir) if pf.builtin_dir else None
        path = policy_path(policies, pf.name, builtin) if builtin else policies / pf.name
        if path.is_file() and not is_builtin(path):
            load_policy_file(path, load(pf.model), display=display_path(path, repo))
