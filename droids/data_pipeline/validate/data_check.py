"""The data check: bar files under data.yaml `data_paths` (every mode) and, for a whole-repository run
(audit, `droid run data-pipeline`, a question), the catalog data.yaml names.

Rules: DATA001-DATA008 per bar, DATA007 and DATA010 per session, DATA012 once per date, DATA011
(freshness) and DATA013 (schema) for the catalog. Staged files are read from the index. A repository
whose data.yaml names no catalog gets one info line saying so.
"""

from __future__ import annotations

import time

from droids.core.checks import CheckOutcome
from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.calendar import data011_stale as data011
from droids.data_pipeline.catalog import data013_schema_change as data013
from droids.data_pipeline.validate import scan

RULES = tuple(sorted((*scan.RULES, data011.RULE, data013.RULE), key=lambda r: r.id))
INTENT = (
    "data",
    "bar",
    "ohlc",
    "parquet",
    "csv",
    "catalog",
    "gap",
    "missing",
    "stale",
    "fresh",
    "calendar",
    "duplicate",
    "timestamp",
    "volume",
    "tick",
    "clean",
    "quality",
    "complete",
)
DATA_SUFFIXES = (".csv", ".parquet")


def applies(task: Task) -> bool:
    return task.targets.kind == "tree" or any(p.endswith(DATA_SUFFIXES) for p in task.targets.paths)


def data_files(task: Task, patterns: tuple[str, ...]) -> list[str]:
    import pathspec

    spec = pathspec.PathSpec.from_lines("gitignore", patterns)
    return [p for p in task.targets.paths if p.endswith(DATA_SUFFIXES) and spec.match_file(p)]


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.data_pipeline.catalog.check import check_catalog
    from droids.data_pipeline.policy import load_data_policy
    from droids.data_pipeline.symbols import Symbols

    policy, _ = load_data_policy(task.policies)
    scanner = scan.Scanner(policy, Symbols(policy, task.policies), time.time_ns())
    workspace = ctx.workspace(task)
    paths = data_files(task, policy.data_paths)
    if workspace.staged:  # what will be committed: the index's blobs
        for path, content in workspace.contents(paths):
            scanner.scan(BarFile(path, data=content))
    else:  # streamed from disk, never read whole (a data file can be gigabytes)
        for path in paths:
            if (task.repo / path).is_file():  # a file the change deletes is gone
                scanner.scan(BarFile(path, task.repo / path))
    res = scanner.result
    if task.targets.kind == "tree":
        if policy.catalog is None:
            res.notes.append("catalog: none named in policies/data.yaml (catalog:), so no catalog was checked")
        elif not (task.repo / policy.catalog).is_dir():
            res.notes.append(
                f"catalog: {policy.catalog} (policies/data.yaml) does not exist yet; run droid data ingest"
            )
        else:
            check_catalog(scanner, (task.repo / policy.catalog).resolve(), task.repo)
    return CheckOutcome(findings=res.findings, notes=res.notes, metrics=res.metrics())
