"""Run zizmor (the GitHub Actions static analyser, a Rust binary shipped in its PyPI wheel) on the
workflow bytes the gate judges, offline, and return its results as plain records.

Like SEC010 with bandit, the contents (index blobs for a staged gate) are written to a temporary
folder under their repository-relative paths, zizmor runs there with `--offline` (no network: the
five audits that need GitHub's API, impostor-commit, ref-confusion, known-vulnerable-actions,
stale-action-refs and ref-version-mismatch, do not run) and `--format json`, and its locations map
back by path. The repository's own zizmor configuration (`zizmor.yml`, `.github/zizmor.yml`) is
passed with `--config`; without one, `--no-config`, so nothing outside the repository is read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from droids.core.errors import DroidError

CONFIG_FILES = ("zizmor.yml", "zizmor.yaml", ".github/zizmor.yml", ".github/zizmor.yaml")
ONLINE_AUDITS = (
    "impostor-commit",
    "ref-confusion",
    "known-vulnerable-actions",
    "stale-action-refs",
    "ref-version-mismatch",
)
TIMEOUT_S = 120


@dataclass(frozen=True)
class ZizmorResult:
    ident: str  # the audit, e.g. "template-injection"
    desc: str
    url: str
    severity: str  # Informational, Low, Medium, High
    confidence: str  # Low, Medium, High
    path: str
    line: int  # 1-based
    annotation: str
    feature: str  # the flagged YAML text
    fixes: tuple[str, ...]


@dataclass
class ZizmorOutcome:
    results: list[ZizmorResult]
    ignored: int  # results zizmor's own `# zizmor: ignore[...]` comments or config accepted


def zizmor_binary() -> str:
    """The zizmor executable of this environment (its wheel puts it beside python), else on PATH."""
    here = Path(sysconfig.get_path("scripts")) / "zizmor"
    found = str(here) if here.is_file() else shutil.which("zizmor")
    if not found:
        raise DroidError("zizmor: not installed; expected it in this environment (pip install 'zizmor>=1.33')")
    return found


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("zizmor")
    except PackageNotFoundError:
        return "unknown"


def scan(files: Sequence[tuple[str, bytes]], config: tuple[str, bytes] | None, persona: str) -> ZizmorOutcome:
    """zizmor's results for each (repository-relative path, content) pair."""
    if not files:
        return ZizmorOutcome([], 0)
    with tempfile.TemporaryDirectory(prefix="droid-zizmor-") as tmp:
        root = Path(tmp)
        for rel, content in files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        argv = [zizmor_binary(), "--offline", "--format", "json", "--no-progress", "--no-exit-codes"]
        argv += ["--persona", persona, "--color", "never"]
        if config is not None:
            (root / ".zizmor-config.yml").write_bytes(config[1])
            argv += ["--config", ".zizmor-config.yml"]
        else:
            argv.append("--no-config")
        argv += [rel for rel, _ in files]
        env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
        try:
            proc = subprocess.run(argv, cwd=root, capture_output=True, env=env, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise DroidError(f"zizmor: no answer within {TIMEOUT_S} s on {len(files)} workflow(s)") from None
    if proc.returncode != 0:
        why = _last_error(proc.stderr.decode("utf-8", "replace"), config)
        raise DroidError(f"zizmor: {why}")
    return parse(proc.stdout.decode("utf-8"))


def _last_error(stderr: str, config: tuple[str, bytes] | None) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and " INFO " not in line]
    text = lines[-1] if lines else "failed"
    if config is not None:
        text = text.replace(".zizmor-config.yml", config[0])
    return text


def parse(stdout: str) -> ZizmorOutcome:
    """zizmor's JSON (format v1): one object per result, its primary locations with 0-based rows."""
    results, ignored = [], 0
    for item in json.loads(stdout or "[]"):
        if item.get("ignored"):
            ignored += 1
            continue
        determinations = item.get("determinations", {})
        fixes = tuple(f.get("title", "") for f in item.get("fixes", []) if f.get("title"))
        for location in item.get("locations", []):
            symbolic = location.get("symbolic", {})
            if symbolic.get("kind") != "Primary":
                continue
            local = symbolic.get("key", {}).get("Local", {})
            concrete = location.get("concrete", {})
            results.append(
                ZizmorResult(
                    ident=item["ident"],
                    desc=item.get("desc", ""),
                    url=item.get("url", ""),
                    severity=determinations.get("severity", "Unknown"),
                    confidence=determinations.get("confidence", "Unknown"),
                    path=local.get("given_path") or local.get("verbatim_path", ""),
                    line=int(concrete.get("location", {}).get("start_point", {}).get("row", 0)) + 1,
                    annotation=symbolic.get("annotation", ""),
                    feature=concrete.get("feature", ""),
                    fixes=fixes,
                )
            )
    return ZizmorOutcome(results, ignored)
