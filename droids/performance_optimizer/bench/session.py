"""Measure: run the suite as many times as a sure verdict needs, interleaving base and head if any.

Rounds: one run of the head, and with a base tree one run of the base too, in alternating order
(head-base, base-head, ...) so that neither side always runs first on a warming or cooling machine.
At least `runs.min` rounds; more, up to `runs.max`, while a verdict is unsure (see judge.unsure);
never starting a round that would not finish before the deadline (the droid's time limit). A head
run that crashes or hangs ends the measurement: that is the verdict. A base run that fails only
costs the side-by-side comparison (the stored baseline, if any, takes its place).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from droids.core.errors import DroidError
from droids.performance_optimizer.bench.judge import Reference, judge, unsure
from droids.performance_optimizer.bench.runner import SuiteRun, run_suite
from droids.performance_optimizer.policy import PerfPolicy
from trading_core.latency.budgets import BudgetsPolicy

_MARGIN = 1.2  # a round is started only if 1.2x the typical round still fits before the deadline


@dataclass
class Measurement:
    reference: Reference
    head: list[SuiteRun] = field(default_factory=list)
    base: list[SuiteRun] = field(default_factory=list)
    failure: SuiteRun | None = None
    notes: list[str] = field(default_factory=list)


def measure(
    repo: Path,
    policy: PerfPolicy,
    budgets: BudgetsPolicy,
    work_dir: Path,
    *,
    reference: Reference,
    base_tree: Path | None,
    fallback: Reference,
    deadline: float,
    min_runs: int,
    max_runs: int,
) -> Measurement:
    """`deadline` is a time.monotonic() value; `fallback` replaces a base whose runs fail."""
    m = Measurement(reference)
    round_s: list[float] = []
    index = 0
    while len(m.head) < max_runs:
        if round_s and deadline - time.monotonic() < _MARGIN * statistics.median(round_s):
            wanted = f"at least {min_runs}" if len(m.head) < min_runs else "more to settle an unsure verdict"
            m.notes.append(
                f"stopped after {len(m.head)} run(s) (wanted {wanted}): the next would overrun the time limit"
            )
            break
        index += 1
        started = time.monotonic()
        sides = ["head", "base"] if base_tree is not None else ["head"]
        if index % 2 == 0:
            sides.reverse()
        runs: dict[str, SuiteRun] = {}
        for side in sides:
            root = repo if side == "head" else base_tree
            assert root is not None
            run = _run(root, policy, work_dir, side, index, m)
            if run is None:  # the base could not be measured
                base_tree, m.reference, m.base = None, fallback, []
                continue
            if run.outcome != "ok":
                if side == "head":
                    m.failure = run
                    return m
                m.notes.append(f"the base's suite {run.outcome} ({run.detail}); compared with {fallback.label} instead")
                base_tree, m.reference, m.base = None, fallback, []
                continue
            runs[side] = run
        if "head" not in runs:
            continue  # the base failed first in this round; run the head alone next round
        m.head.append(runs["head"])
        if "base" in runs and base_tree is not None:
            m.base.append(runs["base"])
        round_s.append(time.monotonic() - started)
        if len(m.head) >= min_runs and not unsure(judge(m.head, m.base, m.reference, policy, budgets)):
            break
    return m


def _run(root: Path, policy: PerfPolicy, work_dir: Path, side: str, index: int, m: Measurement) -> SuiteRun | None:
    try:
        return run_suite(
            root,
            policy.benchmark,
            policy.stages,
            work_dir,
            tree=side,
            index=index,
            timeout_s=policy.benchmark.timeout_s,
            calibration=policy.worst_case.calibration if side == "head" else None,  # only the head is judged
        )
    except DroidError as exc:
        if side == "head":
            raise
        m.notes.append(f"the base cannot be measured ({exc}); compared with the fallback reference instead")
        return None
