"""`droid data check` as a run report: the same findings, renderers and verdict as `droid run`."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from droids.core.command import CommandContext
from droids.core.errors import DroidError
from droids.core.models import DroidReport, RunReport
from droids.core.policy import verdict
from droids.core.version import VERSION
from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.names import DROID

SUFFIXES = (".csv", ".parquet")


def _is_catalog(folder: Path) -> bool:
    return any(p.is_dir() and p.name.startswith("symbol=") for p in folder.iterdir())


def check_paths(session: CommandContext, paths: list[Path]) -> RunReport:
    from droids.data_pipeline.catalog.check import check_catalog, display
    from droids.data_pipeline.policy import load_data_policy
    from droids.data_pipeline.symbols import Symbols
    from droids.data_pipeline.validate import data_check
    from droids.data_pipeline.validate.scan import Scanner

    started = time.time()
    policy, _ = load_data_policy(session.policies)
    scanner = Scanner(policy, Symbols(policy, session.policies), time.time_ns())
    targets = [(session.cwd / p).resolve() for p in paths]
    if not targets:
        if policy.catalog is None:
            raise DroidError("droid data check: give files or folders, or name a catalog in policies/data.yaml")
        targets = [(session.repo / policy.catalog).resolve()]
    for target in targets:
        if not target.exists():
            raise DroidError(f"{target}: no such file or directory")
        if target.is_dir() and _is_catalog(target):
            check_catalog(scanner, target, session.repo)
        elif target.is_dir():
            files = sorted(p for p in target.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not files:
                raise DroidError(f"{target}: no .csv or .parquet files")
            for f in files:
                scanner.scan(BarFile(display(f, session.repo), f))
        elif target.suffix in SUFFIXES:
            scanner.scan(BarFile(display(target, session.repo), target))
        else:
            raise DroidError(f"{target}: expected a .csv or .parquet file or a folder")
    res = scanner.result
    report = DroidReport(
        name=DROID,
        findings=res.findings,
        rules_checked=[r.id for r in data_check.RULES],
        metrics=res.metrics(),
        notes=res.notes,
        duration_ms=round((time.time() - started) * 1000),
    )
    gates = session.gates
    return RunReport(
        tool_version=VERSION,
        mode="run",
        profile="run",
        request="droid data check",
        repo=str(session.repo),
        started_at=datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        duration_ms=report.duration_ms,
        droids=[report],
        findings=res.findings,
        rules=list(data_check.RULES),
        block_at=gates.profiles["run"].block_at,
        verdict=verdict(res.findings, [report], gates, "run"),
    )
