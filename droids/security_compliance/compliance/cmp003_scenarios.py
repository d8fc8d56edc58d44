"""CMP003 Adversarial scenario breaks an Apex rule: the trading core, simulated, fails the account.

Dynamic compliance: the trading core's adversarial scenario suite (access/scenarios.py: a normal
week, a late crash every day, a runaway winning day, a feed full of bad ticks, a mixed week, five
seeded days each; and a two-day smoke run) runs through the bundled simulator, engine, SENTINEL
and Apex guard, under the policies of the change. Each journal is re-read and checked by the Apex
rule engine; every rule violation (APX001..APX011) in any scenario is a finding, blocking in every
gate: critical where the Apex rule is critical, high otherwise. A scenario whose simulation raises
(the governed core lacks a module, or throws) or writes no journal is a high finding too: nothing
was checked, so the gate fails closed (and the result is not cached). A scenario may exempt a rule that
its setup breaks by arithmetic rather than by engine behaviour (the table says which and why).

What it runs: the repository's governed trading core (droids.core.settings.governed_core): for
this repository, installed in editable mode, the package droid itself runs; for any other, its core
folder, in worker processes pinned to it (droids.core.governed_child); on the task's policies/ (for
a staged gate: the index's copy). When:
`ci` and `audit` run the whole suite (scenarios in parallel worker processes, one per core);
`pre-commit` runs only the quick subset (the two-day smoke run), and only when the change touches
trading_core/ or policies/. A scenario whose inputs (its definition, the trading_core source, the
policy files) are unchanged since its last run is not simulated again: the cached result counts.

Results go to `.droid/compliance/scenarios.json` (a list of {scenario, seed, days, passed,
violations: [{rule, event_index, trading_day, ...}], exempt, ...}) for the compliance report, and
each scenario's journal.csv to `.droid/compliance/scenarios/<name>/`. The pre-commit subset does
not overwrite scenarios.json. Invalid policy files are bad input (exit 2).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from droids.core.checks import CheckOutcome
from droids.core.errors import DroidError
from droids.core.models import Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.core.workspace import Workspace

DROID = "security-compliance"
FIX = (
    "Open the scenario's journal.csv at the reported row, replay it (python -m trading_core.sim --days N "
    "--seed S) and fix the engine, SENTINEL or the guard so the rule holds; do not loosen policies/apex.yaml."
)
CMP003 = RuleSpec(
    id="CMP003",
    droid=DROID,
    severity=Severity.HIGH,
    title="Adversarial scenario breaks an Apex rule",
    description=__doc__ or "",
    fix=FIX,
)
RULES = (CMP003,)
RUNS_REPOSITORY_CODE = "its trading core, in the simulator"
WATCHED = ("trading_core/", "policies/")
RESULTS = Path("compliance") / "scenarios.json"


INTENT = ("scenario", "simulation", "simulate", "simulator", "adversarial", "crash", "stress")
ASK_BY_DEFAULT = False  # simulated days take seconds: only when a question asks for them


def needs(task: Task) -> str | None:
    """The scenarios simulate the repository's trading core: none configured, nothing to simulate."""
    from droids.core.governed import needs_core

    return needs_core(task)


def applies(task: Task) -> bool:
    if task.profile == "pre-commit":
        return any(path.startswith(WATCHED) for path in task.targets.paths)
    return task.profile in ("ci", "audit", "ask")


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.core.governed import NOT_APPLICABLE, core_import_dir, is_bundled
    from droids.core.settings import governed_core
    from droids.security_compliance.compliance import scenarios as suite

    core = governed_core(task.repo)
    if core is None:
        return CheckOutcome(notes=[f"CMP003: {NOT_APPLICABLE}"])
    quick = task.profile == "pre-commit"
    chosen = [s for s in suite.SCENARIOS if s.quick or not quick]
    from trading_core.errors import TradingCoreError

    with tempfile.TemporaryDirectory(prefix="droid-cmp003-") as tmp:
        policies = _policies_of(task, ctx.workspace(task), Path(tmp))
        core_dir = None if is_bundled(task.repo, core) else core_import_dir(task.repo, core, Path(tmp))
        inputs = suite.inputs_digest(policies, task.repo / core)
        cache = suite.ResultCache(ctx.cache_dir(DROID) / "cmp003.json")
        keys = {s.name: suite.scenario_key(inputs, s) for s in chosen}
        cached = {s.name: cache.get(keys[s.name]) for s in chosen}
        todo = [s for s in chosen if cached[s.name] is None]
        try:
            out_root = ctx.state_dir / "compliance" / "scenarios"
            out_root.mkdir(parents=True, exist_ok=True)
            step = ctx.step(DROID, CMP003.id)
            step(len(chosen) - len(todo), len(chosen), "scenarios")
            ran = suite.run_all(todo, policies, out_root, core_dir)
            step(len(chosen), len(chosen), "scenarios")
        except TradingCoreError as exc:  # a policy the simulator cannot run on: bad input, named as the user knows it
            raise DroidError(str(exc).replace(str(policies), _shown(task))) from None
        fresh = {r["scenario"]: r for r in ran}
    results = []
    for s in chosen:
        result = fresh.get(s.name) or cached[s.name]
        assert result is not None  # every scenario without a cached result was just run
        if "crashed" not in result:
            cache.put(keys[s.name], result)
        results.append({**result, "cached": s.name not in fresh})
    cache.save()
    notes = [f"CMP003: {len(fresh)} scenario(s) simulated, {len(chosen) - len(fresh)} from cache"]
    if quick:
        notes.append("CMP003: pre-commit runs the quick subset; CI and audit run every scenario")
    else:
        out = ctx.state_dir / RESULTS
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    findings = [f for r in results for f in _findings(task, r)]
    metrics = {"scenarios": len(results), "scenarios_failed": sum(1 for r in results if not r["passed"])}
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)


def _shown(task: Task) -> str:
    try:
        return task.policies.resolve().relative_to(task.repo.resolve()).as_posix()
    except ValueError:
        return str(task.policies)


def _policies_of(task: Task, workspace: Workspace, tmp: Path) -> Path:
    """The policies directory the scenarios run on: for a staged gate, the index's copy."""
    from droids.core import git
    from droids.core.change import repo_relative

    rel = repo_relative(task, task.policies)
    if task.targets.kind != "staged" or rel is None:
        return task.policies
    names = git.split_z(git.text(task.repo, "ls-files", "-z", "--", f":(literal){rel}"))
    staged = workspace.objects.read(f":{n}" for n in names)
    for path in names:
        content = staged.get(f":{path}")
        if content is None:
            continue
        target = tmp / Path(path).relative_to(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return tmp


def _findings(task: Task, result: dict[str, Any]) -> list[Finding]:
    journal = Path(result["journal"])
    try:
        path = journal.resolve().relative_to(task.repo.resolve()).as_posix()
    except ValueError:
        path = str(journal)
    out = []
    for v in result["violations"]:
        where = f"scenario {result['scenario']} (seed {result['seed']}, {result['days']} days)"
        out.append(
            Finding(
                rule=CMP003.id,
                droid=DROID,
                severity=Severity.CRITICAL if v["severity"] == "critical" else Severity.HIGH,
                title=CMP003.title,
                message=f"{where}: {v['rule']} on {v['trading_day']}: {v['message']}",
                path=path,
                line=v["event_index"] + 2,  # the header is line 1, data row 0 is line 2
                fingerprint=fingerprint(
                    CMP003.id, f"scenario:{result['scenario']}", f"{v['rule']}|{v['trading_day']}|{v['symbol']}"
                ),
                fix=FIX,
                scenario=result["scenario"],
                apex_rule=v["rule"],
                event_index=v["event_index"],
                trading_day=v["trading_day"],
                value=v["value"],
                limit=v["limit"],
            )
        )
    if not result.get("checked", True):
        why = (
            f"the simulation of the trading core raised ({result['crashed']})"
            if result.get("crashed")
            else "the simulation wrote no journal"
        )
        out.append(
            Finding(
                rule=CMP003.id,
                droid=DROID,
                severity=Severity.HIGH,
                title=CMP003.title,
                message=f"scenario {result['scenario']}: {why}, nothing could be checked",
                path=path,
                fingerprint=fingerprint(CMP003.id, f"scenario:{result['scenario']}", "no journal"),
                fix=FIX,
            )
        )
    return out
