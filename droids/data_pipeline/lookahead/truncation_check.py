"""The dynamic look-ahead check (DATA025): run the repository's feature pipeline through probe.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from droids.core.checks import CheckOutcome
from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.data_pipeline.lookahead import data025_truncation as data025
from droids.data_pipeline.names import finding
from droids.data_pipeline.policy import Truncation

RULES = (data025.RULE,)
RUNS_REPOSITORY_CODE = "its trading core's feature pipeline, on truncated data"
INTENT = ("look ahead", "lookahead", "leak", "future", "bias", "feature", "truncation")
PROBE = Path(__file__).with_name("probe.py")


def needs(task: Task) -> str | None:
    """The truncation test runs the repository's feature pipeline: no trading core, nothing to run
    (said once for the whole run, with the other droids' checks that need one)."""
    from droids.core.governed import needs_core

    return needs_core(task)


def applies(task: Task) -> bool:
    if task.mode in ("audit", "run", "ask"):
        return True
    import pathspec

    from droids.data_pipeline.policy import load_data_policy

    spec = pathspec.PathSpec.from_lines("gitignore", load_data_policy(task.policies)[0].lookahead.truncation.watch)
    return any(spec.match_file(p) for p in task.targets.paths)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.data_pipeline.policy import load_data_policy

    cfg = load_data_policy(task.policies)[0].lookahead.truncation
    return probe(task.repo, cfg)


def probe(repo: Path, cfg: Truncation) -> CheckOutcome:
    top = cfg.pipeline.split(":")[0].split(".")[0]
    if not (repo / top / "__init__.py").is_file():
        return CheckOutcome(notes=[f"DATA025 not applicable: no trading core ({top}/ is not a package in {repo})"])
    cmd = [
        sys.executable,
        "-P",
        str(PROBE),
        "--repo",
        str(repo),
        "--pipeline",
        cfg.pipeline,
        "--params",
        json.dumps(cfg.params),
        "--ticks",
        str(cfg.ticks),
        "--samples",
        str(cfg.samples),
        "--rtol",
        repr(cfg.rtol),
        "--atol",
        repr(cfg.atol),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=cfg.timeout_s)
    except subprocess.TimeoutExpired:
        return _failed(cfg, f"the truncation probe ran past {cfg.timeout_s:g} s and was stopped")
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return _failed(cfg, f"the truncation probe failed: {last[:300]}")
    if out["status"] == "unavailable":
        return CheckOutcome(notes=[f"DATA025 not run: {out['detail']}"])
    ran = f"ran {cfg.pipeline} from {out['file']} in a child process (python -P, {out['ticks']} synthetic ticks)"
    if out["status"] == "crashed":
        return _failed(cfg, f"the feature pipeline raised {out['detail']}; the truncation test could not run", ran)
    metrics = {"truncation_points": out["points"], "truncation_bad_points": out["bad_points"]}
    if not out["bad_points"]:
        return CheckOutcome(notes=[f"DATA025 {ran}: features equal at all {out['points']} cut points"], metrics=metrics)
    names = out.get("features") or []
    first = out["mismatches"][0]
    col = names[first["column"]] if first["column"] < len(names) else f"column {first['column']}"
    cols = sorted({names[m["column"]] if m["column"] < len(names) else str(m["column"]) for m in out["mismatches"]})
    message = (
        f"{cfg.pipeline}: features computed on data up to t differ from the whole series at {out['bad_points']} "
        f"of {out['points']} cut points; first at t={first['t']}: {col} = {first['full']:.6g} on the whole series, "
        f"{first['cut']:.6g} on data up to t (features that differ: {', '.join(cols)})"
    )
    path = f"{out['file']}"
    return CheckOutcome(
        findings=[finding(data025.RULE, message, path=path, key=f"{cfg.pipeline}\0{','.join(cols)}", features=cols)],
        notes=[f"DATA025 {ran}"],
        metrics=metrics,
    )


def _failed(cfg: Truncation, message: str, ran: str | None = None) -> CheckOutcome:
    notes = [f"DATA025 {ran}"] if ran else []
    return CheckOutcome(
        findings=[finding(data025.RULE, message, path=None, key=f"{cfg.pipeline}\0failed")], notes=notes
    )
